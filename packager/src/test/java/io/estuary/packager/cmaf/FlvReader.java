package io.estuary.packager.cmaf;

import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough FLV for tests: turns ffmpeg's H.264/AAC FLV output into MediaFrames as RTMP ingest would. Video
 * timestamps are FLV milliseconds times 90; audio decode times count samples (1024 per AAC frame), as an ingest
 * that restores exact audio timing does.
 */
final class FlvReader {

    AvcConfig avc;
    AacConfig aac;
    final List<MediaFrame> frames = new ArrayList<>();

    static FlvReader read(byte[] flv) {
        FlvReader r = new FlvReader();
        ByteBuffer b = ByteBuffer.wrap(flv);
        b.position(b.getInt(5));
        b.getInt(); // PreviousTagSize0
        long audioSamples = 0;
        while (b.remaining() >= 15) {
            int type = b.get() & 0x1f;
            int size = ((b.get() & 0xff) << 16) | (b.getShort() & 0xffff);
            int ts = ((b.get() & 0xff) << 16) | (b.getShort() & 0xffff) | ((b.get() & 0xff) << 24);
            b.position(b.position() + 3); // stream id
            byte[] data = new byte[size];
            b.get(data);
            b.getInt(); // PreviousTagSize
            if (type == 9 && (data[0] & 0x0f) == 7) {
                boolean key = (data[0] & 0xf0) == 0x10;
                int cts = ((data[2] << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff)); // signed 24 bits
                byte[] payload = Arrays.copyOfRange(data, 5, data.length);
                if (data[1] == 0) {
                    r.avc = AvcConfig.fromAvcC(payload);
                } else if (data[1] == 1) {
                    r.frames.add(new MediaFrame(1, MediaType.VIDEO, ts * 90L, cts * 90, key, payload,
                            1_700_000_000_000L + ts, ts * 1_000_000L));
                }
            } else if (type == 8 && (data[0] & 0xf0) == 0xa0) {
                byte[] payload = Arrays.copyOfRange(data, 2, data.length);
                if (data[1] == 0) {
                    r.aac = AacConfig.fromAudioSpecificConfig(payload);
                } else {
                    r.frames.add(new MediaFrame(2, MediaType.AUDIO, audioSamples, 0, true, payload,
                            1_700_000_000_000L + ts, ts * 1_000_000L));
                    audioSamples += 1024;
                }
            }
        }
        return r;
    }
}
