package io.estuary.transcoder.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LadderTest {

    static final Ladder DEFAULT = new Ladder(List.of(RungSpec.source("source"), RungSpec.of("720p", 720, 2_800_000),
            RungSpec.of("480p", 480, 1_400_000), RungSpec.of("360p", 360, 800_000), RungSpec.of("240p", 240, 400_000)));

    @Test
    void a720pSourceKeepsItsOwnSizeAndEveryRungBelow() {
        assertEquals(List.of(new Rung("source", true, 1280, 720, 0, 0, 0),
                new Rung("720p", false, 1280, 720, 2_800_000, 2_800_000, 2_800_000),
                new Rung("480p", false, 854, 480, 1_400_000, 1_400_000, 1_400_000),
                new Rung("360p", false, 640, 360, 800_000, 800_000, 800_000),
                new Rung("240p", false, 426, 240, 400_000, 400_000, 400_000)), DEFAULT.resolve(1280, 720));
    }

    @Test
    void neverUpscalesAndDropsRungsAboveTheSource() {
        List<Rung> rungs = DEFAULT.resolve(640, 360);
        assertEquals(List.of("source", "360p", "240p"), rungs.stream().map(Rung::name).toList());
        assertTrue(rungs.stream().allMatch(r -> r.width() <= 640 && r.height() <= 360));
    }

    @Test
    void keepsTheSourceAspectRatioWithEvenWidths() {
        // 4:3 and portrait sources
        assertEquals(640, DEFAULT.resolve(960, 720).get(2).width());
        Rung portrait = new Ladder(List.of(RungSpec.of("360p", 360, 800_000))).resolve(720, 1280).get(0);
        assertEquals(202, portrait.width());
        assertEquals(0, portrait.width() % 2);
        // an explicit width wider than the source is dropped like a taller one
        Ladder wide = new Ladder(List.of(new RungSpec("wide", false, 1920, 480, 1_000_000, 1_000_000, 1_000_000)));
        assertTrue(wide.resolve(1280, 720).isEmpty());
    }

    @Test
    void aLadderOfTheSourceAloneEncodesNothing() {
        Ladder alone = new Ladder(List.of(RungSpec.source("source")));
        assertFalse(alone.encodes());
        assertTrue(alone.passesSourceThrough());
        assertTrue(DEFAULT.encodes());
    }

    @Test
    void refusesDuplicateNamesTwoSourcesAndOddSizes() {
        assertThrows(IllegalArgumentException.class,
                () -> new Ladder(List.of(RungSpec.of("a", 360, 1000), RungSpec.of("a", 240, 1000))));
        assertThrows(IllegalArgumentException.class,
                () -> new Ladder(List.of(RungSpec.source("s"), RungSpec.source("t"))));
        assertThrows(IllegalArgumentException.class, () -> RungSpec.of("odd", 361, 1000));
        assertThrows(IllegalArgumentException.class, () -> RungSpec.of("Bad Name", 360, 1000));
        assertThrows(IllegalArgumentException.class,
                () -> new RungSpec("vbv", false, 0, 360, 1000, 999, 1000));
    }

    @Test
    void bitRatesReadAsEncodersCountThem() {
        assertEquals(2_800_000, BitRate.parse("2800k"));
        assertEquals(2_800_000, BitRate.parse("2.8M"));
        assertEquals(128_000, BitRate.parse("128000"));
        assertEquals(128_000, BitRate.parse("128kbps"));
        assertEquals("2800k", BitRate.format(2_800_000));
        assertEquals("3M", BitRate.format(3_000_000));
        assertThrows(IllegalArgumentException.class, () -> BitRate.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> BitRate.parse("0k"));
        assertThrows(IllegalArgumentException.class, () -> BitRate.parse("5G"));
    }
}
