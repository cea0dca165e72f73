package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.FfmpegReader;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Must show 1: ffmpeg publishes (x264 with B-frames; zero latency), ffmpeg and ffprobe read it back over LL-HLS. */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class FfmpegReadbackTest {

    @ParameterizedTest
    @EnumSource(FfmpegPublisher.Profile.class)
    void ffmpegDecodesTenSecondsOfVideoAndAudio(FfmpegPublisher.Profile profile) {
        String name = "readback-" + profile.name().toLowerCase();
        Path logs = Processes.targetDir("e2e-logs");
        try (LiveFixture live = LiveFixture.start(name, profile)) {
            live.awaitSegments(2, Duration.ofSeconds(20));
            String url = live.multivariant().toString();

            List<FfmpegReader.ProbedStream> streams = FfmpegReader.probe(url, logs.resolve("probe-" + name + ".log"),
                    Duration.ofSeconds(30));
            System.out.println("FFPROBE " + profile + " " + streams);
            assertTrue(streams.contains(new FfmpegReader.ProbedStream("video", "h264", 1280, 720)),
                    "no h264 1280x720 stream: " + streams);
            assertTrue(streams.stream().anyMatch(s -> "audio".equals(s.codecType()) && "aac".equals(s.codecName())),
                    "no aac stream: " + streams);

            FfmpegReader.DecodeResult decoded = FfmpegReader.decode(url, 12, logs.resolve("decode-" + name + ".log"),
                    Duration.ofSeconds(50));
            System.out.println("FFMPEG_DECODE " + profile + " " + decoded);
            assertEquals(0, decoded.exitCode(), decoded.toString());
            assertEquals(List.of(), decoded.errorLines(), "ffmpeg logged errors, see " + decoded.log());
            assertTrue(decoded.videoSeconds(30) >= 10, "decoded only " + decoded.videoSeconds(30) + " s of video");
            assertTrue(decoded.audioSeconds(48000) >= 10, "decoded only " + decoded.audioSeconds(48000) + " s of audio");
            assertTrue(live.publisher().isAlive(), "publisher died, see " + live.publisher().log());
        }
    }
}
