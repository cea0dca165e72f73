package io.estuary.transcoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.StreamKey;
import io.estuary.transcoder.ffmpeg.VideoEncoder;
import io.estuary.transcoder.ladder.RungSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscoderConfigTest {

    static TranscoderConfig parse(String hocon) {
        Config c = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return TranscoderConfig.from(c);
    }

    @Test
    void theDefaultsAreTheDocumentedLadder() {
        TranscoderConfig c = parse("");
        assertTrue(c.topLevel().enabled());
        assertEquals(List.of("source", "720p", "480p", "360p", "240p"),
                c.topLevel().ladder().rungs().stream().map(RungSpec::name).toList());
        assertEquals(RungSpec.of("720p", 720, 2_800_000), c.topLevel().ladder().rungs().get(1));
        assertEquals("auto", c.video().encoder());
        assertEquals("zerolatency", c.video().tune());
        assertEquals(new TranscoderConfig.AudioDefaults(48_000, 2, 128_000), c.audio());
        assertEquals(Duration.ofSeconds(1), c.maxLag());
        assertEquals(Duration.ofSeconds(2), c.withDefaultKeyframeInterval(Duration.ofSeconds(2)).keyframeInterval());
    }

    @Test
    void aStreamBeatsItsAppWhichBeatsTheTopLevel() {
        TranscoderConfig c = parse("""
                estuary.transcoder.overrides {
                  studio { enabled = false }
                  "studio/main" { enabled = true }
                  "live/cheap" { ladder = [ { name = source, passthrough = true }, { name = low, height = 180, bitrate = 200k } ] }
                }
                """);
        assertFalse(c.policyFor(new StreamKey("studio", "x")).enabled());
        assertTrue(c.policyFor(new StreamKey("studio", "main")).enabled());
        assertEquals(5, c.policyFor(new StreamKey("studio", "main")).ladder().rungs().size());
        assertEquals(List.of("source", "low"), c.policyFor(new StreamKey("live", "cheap")).ladder().rungs().stream()
                .map(RungSpec::name).toList());
        assertEquals(5, c.policyFor(new StreamKey("live", "other")).ladder().rungs().size());
    }

    @Test
    void aBadValueNamesItsKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("estuary.transcoder.ladder = [ { name = x, height = 721, bitrate = 1M } ]"));
        assertTrue(e.getMessage().contains("estuary.transcoder.ladder[0]"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> parse("estuary.transcoder.ladder = [ { name = x, height = 720, bitrate = lots } ]"));
        assertTrue(e.getMessage().contains("bit rate"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("estuary.transcoder.overrides.live.preset = slow"));
        assertTrue(e.getMessage().contains("estuary.transcoder.overrides.live.preset"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("estuary.transcoder.audio.bitrate = loud"));
        assertTrue(e.getMessage().contains("estuary.transcoder.audio.bitrate"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("estuary.transcoder.video.encoder = libx265"));
        assertTrue(e.getMessage().contains("estuary.transcoder") && e.getMessage().contains("video.encoder")
                && e.getMessage().contains("libx265"), e.getMessage());
    }

    /** auto takes libx264 where the build has it (the default GPL natives), else openh264 (the LGPL natives). */
    @Test
    void autoPicksAnEncoderThisBuildHas() {
        String chosen = VideoEncoder.choose("auto");
        assertTrue(VideoEncoder.available(chosen), chosen);
        assertEquals(VideoEncoder.available("libx264") ? "libx264" : "libopenh264", chosen);
        assertEquals("libopenh264", VideoEncoder.choose("libopenh264"));
        assertFalse(VideoEncoder.available("no-such-encoder"));
    }
}
