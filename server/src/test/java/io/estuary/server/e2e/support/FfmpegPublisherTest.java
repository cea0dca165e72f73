package io.estuary.server.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the publisher and the raw RTMP client against ffmpeg's own RTMP server ({@code -listen 1}), without ours:
 * what ffmpeg publishes arrives as H.264 + AAC, stop() ends it cleanly, the raw handshake is accepted.
 */
@Tag("e2e")
class FfmpegPublisherTest {

    @ParameterizedTest
    @EnumSource(FfmpegPublisher.Profile.class)
    void publishesH264AndAacOverRtmp(FfmpegPublisher.Profile profile) throws Exception {
        int port = Processes.freePort();
        Path dir = Processes.targetDir("e2e-logs");
        Path received = dir.resolve("listen-" + profile + ".flv");
        Files.deleteIfExists(received);
        Process listener = new ProcessBuilder("/usr/bin/ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                "-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/selftest", "-c", "copy", "-y",
                received.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("listen-" + profile + ".log").toFile()).start();
        try {
            Thread.sleep(500); // let the listener bind
            FfmpegPublisher publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + port + "/live/selftest", profile,
                    dir.resolve("publish-selftest-" + profile + ".log"), "320x240");
            Thread.sleep(4000);
            assertTrue(publisher.isAlive(), "publisher died, see " + publisher.log());
            publisher.stop();
            assertFalse(publisher.isAlive());
            assertTrue(listener.waitFor(10, TimeUnit.SECONDS), "listener did not end after the publisher stopped");
            List<FfmpegReader.ProbedStream> streams = FfmpegReader.probe(received.toString(),
                    dir.resolve("probe-selftest-" + profile + ".log"), Duration.ofSeconds(20));
            assertTrue(streams.contains(new FfmpegReader.ProbedStream("video", "h264", 320, 240)), streams.toString());
            assertTrue(streams.stream().anyMatch(s -> s.codecName().equals("aac")), streams.toString());
            FfmpegReader.DecodeResult decoded = FfmpegReader.decode(received.toString(), 30,
                    dir.resolve("decode-selftest-" + profile + ".log"), Duration.ofSeconds(30));
            assertEquals(0, decoded.exitCode(), decoded.toString());
            assertEquals(List.of(), decoded.errorLines());
            assertTrue(decoded.videoSeconds(30) > 2.5 && decoded.audioSeconds(48000) > 2.5, decoded.toString());
        } finally {
            Processes.killTree(listener, Duration.ofSeconds(1));
        }
    }

    @Test
    void rawClientHandshakeIsAcceptedAndGarbageClosesTheConnection() throws Exception {
        int port = Processes.freePort();
        Process listener = new ProcessBuilder("/usr/bin/ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                "-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/raw", "-f", "null", "-")
                .redirectErrorStream(true)
                .redirectOutput(Processes.targetDir("e2e-logs").resolve("listen-raw.log").toFile()).start();
        try {
            Thread.sleep(500);
            try (RtmpRawClient client = RtmpRawClient.connect(port)) {
                client.handshake();
                client.sendQuietly(RtmpRawClient.garbage(4096));
                assertTrue(client.awaitClosedByServer(Duration.ofSeconds(5)), "ffmpeg kept the connection open");
            }
        } finally {
            Processes.killTree(listener, Duration.ofSeconds(1));
        }
    }

    @Test
    void probeOutputParsing() {
        List<FfmpegReader.ProbedStream> s = FfmpegReader.parseProbe(List.of("codec_name=h264", "codec_type=video",
                "width=1280", "height=720", "codec_name=aac", "codec_type=audio"));
        assertEquals(List.of(new FfmpegReader.ProbedStream("video", "h264", 1280, 720),
                new FfmpegReader.ProbedStream("audio", "aac", 0, 0)), s);
    }
}
