package io.estuary.loadtests;

import io.estuary.media.frame.MediaType;
import io.estuary.packager.drm.SampleEncryptor;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * How fast one thread encrypts samples with {@link SampleEncryptor}, on the real x264 720p30 frames and AAC frames
 * of the load clip (so that slice headers, subsample maps and the cbcs 1:9 pattern see what a live stream gives
 * them). One operation encrypts every video (or audio) sample of the 10 s clip; MB/s counts sample bytes in, clear
 * and protected alike, which is what a stream's bitrate is made of. The reference is the JDK's AES-CTR over the
 * same bytes with no per-sample work: the ceiling of the AES intrinsics on this machine.
 *
 * <p>Run: {@code java -cp ... io.estuary.loadtests.DrmEncryptionBenchmark}; prints {@code DRM_ENCRYPT} lines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1) // the cenc path needs ~3 s before C2 has compiled the slice header parser
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class DrmEncryptionBenchmark {

    /** The clip's samples, read once per fork. */
    @State(Scope.Benchmark)
    public static class Clip {
        List<byte[]> video;
        List<byte[]> audio;
        ClipFrames clip;

        @Setup
        public void load() {
            clip = ClipFrames.load();
            video = clip.samples(MediaType.VIDEO);
            audio = clip.samples(MediaType.AUDIO);
        }
    }

    /** One encryptor per track, as a live stream has. */
    @State(Scope.Thread)
    public static class Encryptors {
        @Param({"cenc", "cbcs"})
        public String scheme;
        SampleEncryptor video;
        SampleEncryptor audio;

        @Setup
        public void create(Clip c) {
            video = SampleEncryptor.forTrack(DrmProtections.of(scheme), c.clip.avc());
            audio = SampleEncryptor.forTrack(DrmProtections.of(scheme), c.clip.aac());
        }
    }

    /** The reference: one CTR keystream over all the samples, in place into a scratch buffer. */
    @State(Scope.Thread)
    public static class PlainCtr {
        Cipher cipher;
        byte[] out = new byte[1 << 20];

        @Setup
        public void init() throws Exception {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(DrmProtections.KEY, "AES"),
                    new IvParameterSpec(new byte[16]));
        }
    }

    @Benchmark
    public void video(Clip c, Encryptors e, Blackhole bh) {
        for (byte[] s : c.video) {
            bh.consume(e.video.encrypt(s));
        }
    }

    @Benchmark
    public void audio(Clip c, Encryptors e, Blackhole bh) {
        for (byte[] s : c.audio) {
            bh.consume(e.audio.encrypt(s));
        }
    }

    @Benchmark
    public int aesCtrVideo(Clip c, PlainCtr p) throws Exception {
        return ctr(c.video, p);
    }

    @Benchmark
    public int aesCtrAudio(Clip c, PlainCtr p) throws Exception {
        return ctr(c.audio, p);
    }

    private static int ctr(List<byte[]> samples, PlainCtr p) throws Exception {
        int n = 0;
        for (byte[] s : samples) {
            n += p.cipher.update(s, 0, s.length, p.out, 0);
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        ClipFrames clip = ClipFrames.load();
        long videoBytes = bytes(clip.samples(MediaType.VIDEO));
        long audioBytes = bytes(clip.samples(MediaType.AUDIO));
        System.out.printf("DRM_CLIP %.1f s, %d video samples (%.1f KB avg), %d audio samples (%.0f B avg)%n",
                clip.seconds(), clip.samples(MediaType.VIDEO).size(),
                videoBytes / 1024.0 / clip.samples(MediaType.VIDEO).size(), clip.samples(MediaType.AUDIO).size(),
                audioBytes / (double) clip.samples(MediaType.AUDIO).size());
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(DrmEncryptionBenchmark.class.getName() + "\\.").build()).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            boolean video = name.toLowerCase().endsWith("video");
            double mbPerOp = (video ? videoBytes : audioBytes) / 1e6;
            String what = name.startsWith("aesCtr") ? "aes-ctr-reference" : r.getParams().getParam("scheme");
            System.out.printf("DRM_ENCRYPT %s %s %.1f MB/s (99.9%% CI +- %.1f)%n", what, video ? "video" : "audio",
                    r.getPrimaryResult().getScore() * mbPerOp, r.getPrimaryResult().getScoreError() * mbPerOp);
        }
    }

    private static long bytes(List<byte[]> samples) {
        return samples.stream().mapToLong(s -> s.length).sum();
    }
}
