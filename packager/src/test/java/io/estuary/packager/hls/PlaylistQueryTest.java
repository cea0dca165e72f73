package io.estuary.packager.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlaylistQueryTest {

    @Test
    void parsesDirectivesAndIgnoresOtherParameters() {
        assertEquals(PlaylistQuery.NONE, PlaylistQuery.parse(null));
        assertEquals(PlaylistQuery.NONE, PlaylistQuery.parse(""));
        assertEquals(PlaylistQuery.NONE, PlaylistQuery.parse("token=abc&x"));
        assertEquals(new PlaylistQuery(12L, null, SkipMode.NONE), PlaylistQuery.parse("_HLS_msn=12"));
        assertEquals(new PlaylistQuery(12L, 3L, SkipMode.YES), PlaylistQuery.parse("_HLS_msn=12&_HLS_part=3&_HLS_skip=YES"));
        assertEquals(new PlaylistQuery(null, null, SkipMode.V2), PlaylistQuery.parse("a=b&_HLS_skip=v2"));
        assertTrue(PlaylistQuery.parse("_HLS_skip=YES").hasDirectives());
    }

    @Test
    void rejectsInvalidDirectivesSayingWhy() {
        assertMessage("_HLS_part=1", "_HLS_part without _HLS_msn");
        assertMessage("_HLS_msn=x", "_HLS_msn must be a non-negative integer");
        assertMessage("_HLS_msn=-1", "_HLS_msn must be a non-negative integer");
        assertMessage("_HLS_msn=", "_HLS_msn must be a non-negative integer");
        assertMessage("_HLS_msn=1&_HLS_part=1.5", "_HLS_part must be a non-negative integer");
        assertMessage("_HLS_msn=99999999999999999999", "_HLS_msn must be a non-negative integer");
        assertMessage("_HLS_skip=yes", "_HLS_skip must be YES or v2");
        assertMessage("_HLS_msn=1&_HLS_msn=2", "_HLS_msn given twice");
    }

    private static void assertMessage(String query, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlaylistQuery.parse(query));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
