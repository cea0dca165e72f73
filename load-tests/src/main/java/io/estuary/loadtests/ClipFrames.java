package io.estuary.loadtests;

import io.estuary.loadtests.rtmp.FlvFile;
import io.estuary.loadtests.rtmp.SampleFlv;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.protocols.rtmp.flv.FlvIngest;
import io.estuary.protocols.rtmp.flv.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cached 720p30 load clip ({@link SampleFlv}) as the MediaFrames ingest makes of it, so that the DRM benchmarks
 * encrypt real x264 slices and AAC frames rather than synthetic bytes: the clip's tags go through the RTMP
 * ingest's own {@link FlvIngest}, which normalizes them exactly as for a live publisher.
 */
record ClipFrames(AvcConfig avc, AacConfig aac, List<TrackInfo> tracks, List<MediaFrame> frames, double seconds) {

    private static final int FLV_VIDEO = 9;

    /** Reads the clip from load-tests/target (encoding it once with ffmpeg when it is not cached yet). */
    static ClipFrames load() {
        Path cache = Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "target") : Path.of("target");
        try {
            return of(FlvFile.read(SampleFlv.ensure(cache)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ClipFrames of(FlvFile flv) {
        List<MediaFrame> frames = new ArrayList<>();
        List<List<TrackInfo>> announced = new ArrayList<>();
        FlvIngest ingest = new FlvIngest(new FrameSink() {
            @Override
            public void updateTracks(List<TrackInfo> tracks) {
                announced.add(List.copyOf(tracks));
            }

            @Override
            public void publish(MediaFrame frame) {
                frames.add(frame);
            }
        }, "load-clip");
        for (FlvFile.Tag t : flv.tags()) {
            ByteBuf tag = Unpooled.wrappedBuffer(t.data(), t.offset(), t.length());
            if (t.type() == FLV_VIDEO) {
                ingest.onVideo(t.timestamp(), tag);
            } else {
                ingest.onAudio(t.timestamp(), tag);
            }
        }
        List<TrackInfo> tracks = announced.isEmpty() ? List.of() : announced.get(announced.size() - 1);
        AvcConfig avc = null;
        AacConfig aac = null;
        for (TrackInfo t : tracks) {
            if (t.config() instanceof AvcConfig a) {
                avc = a;
            } else if (t.config() instanceof AacConfig a) {
                aac = a;
            }
        }
        if (avc == null || aac == null) {
            throw new IllegalStateException("the clip lacks an AVC or AAC sequence header");
        }
        return new ClipFrames(avc, aac, tracks, List.copyOf(frames), flv.loopDurationMs() / 1000.0);
    }

    List<byte[]> samples(MediaType type) {
        return frames.stream().filter(f -> f.type() == type).map(MediaFrame::data).toList();
    }
}
