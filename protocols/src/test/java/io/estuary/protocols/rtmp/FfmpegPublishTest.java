package io.estuary.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.estuary.media.frame.AacConfig;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import io.estuary.media.router.LiveStream;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamListener;
import io.estuary.media.router.StreamRegistry;
import io.estuary.media.router.StreamSubscriber;
import io.estuary.protocols.auth.PublishAuthorizer;
import io.estuary.protocols.auth.StreamKeyAuthorizer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ffmpeg as a real RTMP publisher against the whole pipeline. */
class FfmpegPublishTest {
    private EventLoopGroup group;
    private Channel server;
    private final StreamRegistry registry = new StreamRegistry();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private LeakWatcher leaks;

    @BeforeEach
    void checkFfmpeg() {
        assumeTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg not installed");
        leaks = LeakWatcher.attach();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().sync();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        executor.shutdownNow();
        if (leaks != null) {
            leaks.assertNoLeaks();
            leaks.close();
        }
    }

    private int start(PublishAuthorizer authorizer) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        RtmpConfig config = RtmpConfig.from(ConfigFactory.parseString("estuary.rtmp.port = 0"));
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new RtmpServerInitializer(config, registry, authorizer))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static Process ffmpeg(int port, String name, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds), "-c:v", "libx264",
                "-bf", "2", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
                "rtmp://127.0.0.1:" + port + "/live/" + name));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Collects what a subscriber of the first session sees. */
    private static final class Recorder implements StreamSubscriber {
        final List<List<TrackInfo>> tracks = new CopyOnWriteArrayList<>();
        final List<MediaFrame> frames = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void onTracks(List<TrackInfo> t) {
            tracks.add(t);
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frames.add(frame);
        }

        @Override
        public void onEnd() {
            ended.countDown();
        }
    }

    private CompletableFuture<Recorder> subscribeFirst() {
        CompletableFuture<Recorder> recorder = new CompletableFuture<>();
        registry.addListener(new StreamListener() {
            @Override
            public void onStreamStarted(LiveStream stream) {
                if (!recorder.isDone()) {
                    Recorder r = new Recorder();
                    stream.subscribe(r, executor, 10_000);
                    recorder.complete(r);
                }
            }
        });
        return recorder;
    }

    @Test
    void ffmpegPublishesH264AndAac() throws Exception {
        int port = start(StreamKeyAuthorizer.from(ConfigFactory.empty()));
        CompletableFuture<Recorder> first = subscribeFirst();
        Process p = ffmpeg(port, "test", 4);
        Recorder r = first.get(20, TimeUnit.SECONDS);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(r.ended.await(10, TimeUnit.SECONDS), "session ends when ffmpeg exits");
        assertTrue(registry.get(new StreamKey("live", "test")).isEmpty());

        List<TrackInfo> tracks = r.tracks.get(0);
        assertEquals(1, r.tracks.size(), "tracks announced once");
        TrackInfo video = tracks.stream().filter(t -> t.type() == MediaType.VIDEO).findFirst().orElseThrow();
        TrackInfo audio = tracks.stream().filter(t -> t.type() == MediaType.AUDIO).findFirst().orElseThrow();
        AvcConfig avc = (AvcConfig) video.config();
        assertEquals(640, avc.width());
        assertEquals(360, avc.height());
        AacConfig aac = (AacConfig) audio.config();
        assertEquals(48_000, aac.sampleRate());
        assertEquals(48_000, audio.timescale());

        List<MediaFrame> videoFrames = r.frames.stream().filter(f -> f.type() == MediaType.VIDEO).toList();
        List<MediaFrame> audioFrames = r.frames.stream().filter(f -> f.type() == MediaType.AUDIO).toList();
        assertTrue(videoFrames.size() >= 110, "video frames: " + videoFrames.size());
        assertTrue(audioFrames.size() >= 180, "audio frames: " + audioFrames.size());
        assertTrue(videoFrames.get(0).keyframe());
        assertTrue(videoFrames.stream().anyMatch(f -> f.compositionOffset() > 0), "B-frames give offsets");
        for (int i = 0; i < videoFrames.size(); i++) {
            assertEquals(i % 60 == 0, videoFrames.get(i).keyframe(), "keyframe flag of frame " + i);
            if (i > 0) {
                assertTrue(videoFrames.get(i).dts() > videoFrames.get(i - 1).dts(), "video dts monotonic");
            }
            // Samples are length-prefixed (4 bytes) and hold no parameter sets.
            byte[] d = videoFrames.get(i).data();
            int len = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
            assertTrue(len > 0 && len <= d.length - 4);
            int nalType = d[4] & 0x1f;
            assertNotEquals(7, nalType);
            assertNotEquals(8, nalType);
            assertNotEquals(9, nalType);
        }
        for (int i = 1; i < audioFrames.size(); i++) {
            assertEquals(1024, audioFrames.get(i).dts() - audioFrames.get(i - 1).dts(), "AAC on the sample grid");
        }
    }

    @Test
    void secondPublisherOfALiveNameIsRefused() throws Exception {
        int port = start(StreamKeyAuthorizer.from(ConfigFactory.empty()));
        CompletableFuture<Recorder> first = subscribeFirst();
        Process p1 = ffmpeg(port, "busy?key=one", 5);
        Recorder r = first.get(20, TimeUnit.SECONDS);
        Process p2 = ffmpeg(port, "busy?key=two", 2);
        assertTrue(p2.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, p2.exitValue(), "second publisher refused");
        assertEquals(1, r.ended.getCount(), "first publisher still live");
        assertTrue(p1.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p1.exitValue());
        assertTrue(r.ended.await(10, TimeUnit.SECONDS));
        assertTrue(r.frames.size() > 200);
    }

    @Test
    void streamKeysDecideWhoPublishes() throws Exception {
        int port = start(StreamKeyAuthorizer.from(ConfigFactory.parseString(
                "estuary.publish.keys { \"live/demo\" = \"s3cret\" }")));
        List<StreamKey> started = new CopyOnWriteArrayList<>();
        registry.addListener(stream -> started.add(stream.key()));
        Process wrong = ffmpeg(port, "demo?key=nope", 1);
        assertTrue(wrong.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, wrong.exitValue(), "wrong key refused");
        Process missing = ffmpeg(port, "demo", 1);
        assertTrue(missing.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, missing.exitValue(), "missing key refused");
        assertTrue(started.isEmpty());

        Process withKey = ffmpeg(port, "demo?key=s3cret", 1);
        assertTrue(withKey.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, withKey.exitValue(), "name?key= accepted");

        Process secretAsName = ffmpeg(port, "s3cret", 1);
        assertTrue(secretAsName.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, secretAsName.exitValue(), "name-as-secret accepted");
        assertEquals(List.of(new StreamKey("live", "demo"), new StreamKey("live", "demo")), started);
    }
}
