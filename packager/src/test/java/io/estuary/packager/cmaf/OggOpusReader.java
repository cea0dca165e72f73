package io.estuary.packager.cmaf;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.OpusConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an Ogg Opus file (RFC 7845) as WebRTC ingest would hand it over: the OpusHead as the track's
 * configuration, then one frame per Opus packet, timed by the packets' own durations (from their TOC byte,
 * RFC 6716 3.1) in 48 kHz from 0. One logical stream only; test input made by ffmpeg.
 */
final class OggOpusReader {

    /** The longest Opus packet: 120 ms at 48 kHz (RFC 6716 3.2.5). */
    private static final int MAX_PACKET_SAMPLES = 5760;

    final OpusConfig config;
    final List<MediaFrame> frames = new ArrayList<>();
    /** The granule position of the last page: the stream's end in 48 kHz samples, pre-skip included. */
    final long lastGranule;

    private OggOpusReader(OpusConfig config, long lastGranule) {
        this.config = config;
        this.lastGranule = lastGranule;
    }

    static OggOpusReader read(byte[] file, int trackId) {
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        long granule = 0;
        int pos = 0;
        while (pos < file.length) {
            if (pos + 27 > file.length || !new String(file, pos, 4, StandardCharsets.US_ASCII).equals("OggS")) {
                throw new IllegalArgumentException("no Ogg page at " + pos);
            }
            granule = le64(file, pos + 6);
            int segments = file[pos + 26] & 0xff;
            int data = pos + 27 + segments;
            if (data > file.length) {
                throw new IllegalArgumentException("truncated segment table at " + pos);
            }
            for (int i = 0; i < segments; i++) {
                int lacing = file[pos + 27 + i] & 0xff;
                if (data + lacing > file.length) {
                    throw new IllegalArgumentException("truncated page at " + pos);
                }
                packet.write(file, data, lacing);
                data += lacing;
                if (lacing < 255) { // a packet ends here; 255 means it goes on in the next segment
                    packets.add(packet.toByteArray());
                    packet.reset();
                }
            }
            pos = data;
        }
        if (packets.size() < 2) {
            throw new IllegalArgumentException("no OpusHead and OpusTags");
        }
        OggOpusReader r = new OggOpusReader(OpusConfig.parse(packets.get(0)), granule);
        long dts = 0;
        for (byte[] p : packets.subList(2, packets.size())) {
            r.frames.add(new MediaFrame(trackId, MediaType.AUDIO, dts, 0, true, p, 1_700_000_000_000L + dts / 48,
                    dts));
            dts += samples(p);
        }
        return r;
    }

    /** A packet's duration in 48 kHz samples, from its TOC byte and frame count (RFC 6716 3.1, 3.2). */
    static int samples(byte[] packet) {
        if (packet.length == 0) {
            throw new IllegalArgumentException("empty Opus packet");
        }
        int config = (packet[0] & 0xff) >>> 3;
        int frame;
        if (config < 12) {
            frame = new int[] {480, 960, 1920, 2880}[config % 4]; // SILK: 10, 20, 40, 60 ms
        } else if (config < 16) {
            frame = new int[] {480, 960}[config % 2]; // hybrid: 10, 20 ms
        } else {
            frame = new int[] {120, 240, 480, 960}[config % 4]; // CELT: 2.5, 5, 10, 20 ms
        }
        int count = switch (packet[0] & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> {
                if (packet.length < 2) {
                    throw new IllegalArgumentException("code 3 packet without a frame count");
                }
                yield packet[1] & 0x3f;
            }
        };
        if (count == 0 || count * frame > MAX_PACKET_SAMPLES) {
            throw new IllegalArgumentException("bad Opus packet: " + count + " frames of " + frame);
        }
        return count * frame;
    }

    /** The duration of the frames read, in 48 kHz samples. */
    long totalSamples() {
        MediaFrame last = frames.get(frames.size() - 1);
        return last.dts() + samples(last.data());
    }

    private static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
