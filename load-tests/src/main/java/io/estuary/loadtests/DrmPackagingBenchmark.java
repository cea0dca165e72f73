package io.estuary.loadtests;

import ch.qos.logback.classic.Level;
import io.estuary.media.frame.MediaFrame;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.cmaf.CmafPart;
import io.estuary.packager.cmaf.PackagedTrack;
import io.estuary.packager.cmaf.Segmenter;
import io.estuary.packager.cmaf.SegmenterListener;
import io.estuary.packager.drm.StreamProtection;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The CPU cost of DRM on a live stream: the 10 s 720p30 load clip (video and audio) through a {@link Segmenter}
 * with default settings and a listener that drops the parts, clear vs cenc vs cbcs. A timed loop rather than JMH:
 * the figure wanted is CPU per content-second of one stream, read from this thread's CPU clock, and the three
 * modes run interleaved, round after round, so that drift (JIT, turbo, a noisy neighbour) hits them alike.
 * The overhead is then put against the ~5.2 ms of CPU per content-second that the ingest benchmark measured for a
 * whole 720p30 stream (ingest and packaging, README).
 *
 * <p>Args: [warm-up seconds (5)] [measured seconds (15)]. Prints {@code DRM_PACKAGING} and {@code DRM_SHARE}.
 */
public final class DrmPackagingBenchmark {
    private static final double STREAM_CPU_MS_PER_S = 5.2;
    private static final String[] MODES = {"clear", "cenc", "cbcs"};

    private DrmPackagingBenchmark() {
    }

    public static void main(String[] args) {
        // One session per pass: the segmenter's "session ended" line would flood the output.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.estuary")).setLevel(Level.WARN);
        double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        double measured = args.length > 1 ? Double.parseDouble(args[1]) : 15;
        ClipFrames clip = ClipFrames.load();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

        Map<String, long[]> cpuNanosAndPasses = new LinkedHashMap<>();
        for (String m : MODES) {
            cpuNanosAndPasses.put(m, new long[2]);
        }
        long bytes = 0;
        for (boolean warm : new boolean[] {true, false}) {
            long end = System.nanoTime() + (long) ((warm ? warmup : measured) * 1e9);
            while (System.nanoTime() < end) {
                for (String m : MODES) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    bytes += packageClip(clip, DrmProtections.of(m));
                    long t1 = cpu.getCurrentThreadCpuTime();
                    if (!warm) {
                        cpuNanosAndPasses.get(m)[0] += t1 - t0;
                        cpuNanosAndPasses.get(m)[1]++;
                    }
                }
            }
        }
        Map<String, Double> msPerS = new LinkedHashMap<>();
        cpuNanosAndPasses.forEach((m, v) -> msPerS.put(m, v[0] / 1e6 / v[1] / clip.seconds()));
        double clear = msPerS.get("clear");
        StringBuilder line = new StringBuilder(String.format("DRM_PACKAGING clear %.3f ms/s", clear));
        StringBuilder share = new StringBuilder("DRM_SHARE");
        for (String m : new String[] {"cenc", "cbcs"}) {
            double over = msPerS.get(m) - clear;
            line.append(String.format(" %s %.3f ms/s (%+.1f%%)", m, msPerS.get(m), 100 * over / clear));
            share.append(String.format(" %s +%.3f ms/s = %.1f%% of %.1f ms/s per 720p30 stream;", m, over,
                    100 * over / STREAM_CPU_MS_PER_S, STREAM_CPU_MS_PER_S));
        }
        System.out.println(line);
        System.out.println(share.append(" aim: under 5%"));
        System.out.printf("DRM_PACKAGING_RUNS %d passes of %.1f s per mode, thread CPU time (GC and JIT threads"
                + " not counted) (%d part bytes)%n", cpuNanosAndPasses.get("clear")[1], clip.seconds(), bytes);
    }

    /** One publish session of the whole clip; returns the bytes of the parts, so that nothing is dead code. */
    private static long packageClip(ClipFrames clip, StreamProtection protection) {
        long[] bytes = new long[1];
        Segmenter s = new Segmenter(PackagerConfig.defaults(), new SegmenterListener() {
            @Override
            public void onTrackStart(PackagedTrack track, byte[] initSegment) {
                bytes[0] += initSegment.length;
            }

            @Override
            public void onPart(CmafPart part) {
                bytes[0] += part.bytes().length;
            }

            @Override
            public void onSessionEnd() {
            }
        }, protection);
        s.onTracks(clip.tracks());
        for (MediaFrame f : clip.frames()) {
            s.onFrame(f);
        }
        s.onEnd();
        return bytes[0];
    }
}
