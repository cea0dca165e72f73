package io.estuary.packager.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MPD's value formats, its timeline compression, and the configuration it takes. */
class MpdWriterTest {

    @Test
    void timelineStatesTOnlyWhereItIsNotContiguousAndFoldsRepeats() {
        StringBuilder b = new StringBuilder();
        MpdWriter.writeTimeline(b, List.of(new Mpd.Entry(900, 180_000), new Mpd.Entry(180_900, 180_000),
                new Mpd.Entry(360_900, 177_000), new Mpd.Entry(600_000, 90_000), new Mpd.Entry(690_000, 90_000)));
        assertEquals("""
                            <S t="900" d="180000" r="1"/>
                            <S d="177000"/>
                            <S t="600000" d="90000" r="1"/>
                """, b.toString());
    }

    @Test
    void durationsDatesAndFrameRatesAsTheSchemaWantsThem() {
        assertEquals("PT2S", MpdWriter.duration(2000));
        assertEquals("PT1.5S", MpdWriter.duration(1500));
        assertEquals("PT0.04S", MpdWriter.duration(40));
        assertEquals("PT0S", MpdWriter.duration(0));
        assertEquals("2023-11-14T22:13:20.000Z", MpdWriter.dateTime(1_700_000_000_000L));
        assertEquals("30", MpdWriter.frameRate(30.0));
        assertEquals("30000/1001", MpdWriter.frameRate(29.97));
        assertEquals("60000/1001", MpdWriter.frameRate(59.94));
        assertEquals("25", MpdWriter.frameRate(25.004));
        assertEquals("12500/1000", MpdWriter.frameRate(12.5));
    }

    @Test
    void attributeValuesAreEscaped() {
        Mpd mpd = new Mpd(0, 0, 2000, 2000, 1.5, List.of());
        String text = MpdWriter.write(mpd, DashConfig.defaults(), "http://h?a=1&b=\"2\"");
        assertTrue(text.contains("value=\"http://h?a=1&amp;b=&quot;2&quot;/time\""), text);
    }

    @Test
    void configurationDefaultsAndRules() {
        assertEquals(DashConfig.defaults(), DashConfig.from(ConfigFactory.defaultReference()));
        ConfigException e = assertThrows(ConfigException.class, () -> DashConfig.from(
                ConfigFactory.parseString("estuary.dash.latency-min = 9s")
                        .withFallback(ConfigFactory.defaultReference())));
        assertTrue(e.getMessage().contains("estuary.dash.latency-target"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> DashConfig.from(
                ConfigFactory.parseString("estuary.dash.playback-rate-max = 0.9")
                        .withFallback(ConfigFactory.defaultReference())));
        assertTrue(e.getMessage().contains("estuary.dash.playback-rate-min"), e.getMessage());
    }
}
