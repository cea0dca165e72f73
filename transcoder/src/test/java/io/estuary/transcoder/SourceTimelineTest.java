package io.estuary.transcoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import org.junit.jupiter.api.Test;

class SourceTimelineTest {

    static MediaFrame frame(long dts, long pts, boolean key) {
        return new MediaFrame(1, MediaType.VIDEO, dts, (int) (pts - dts), key, new byte[1], 77, 99);
    }

    @Test
    void picturesInOutputOrderTakeTheSourceDecodeTimesInOrder() {
        // I P B B, decode order, 3000 ticks a frame, B-frames delay presentation by two frames
        SourceTimeline t = new SourceTimeline();
        t.sent(frame(0, 6000, true));
        t.sent(frame(3000, 15000, false));
        t.sent(frame(6000, 9000, false));
        t.sent(frame(9000, 12000, false));
        SourceTimeline.Stamp i = t.decoded(6000);
        assertEquals(0, i.dts());
        assertTrue(i.sourceKeyframe());
        assertEquals(77, i.wallClockMillis());
        assertEquals(3000, t.decoded(9000).dts());
        assertEquals(6000, t.decoded(12000).dts());
        SourceTimeline.Stamp p = t.decoded(15000);
        assertEquals(9000, p.dts());
        assertEquals(15000, p.pts());
    }

    @Test
    void aKeyframeDropsTheDecodeTimesOfPicturesTheDecoderSwallowed() {
        SourceTimeline t = new SourceTimeline();
        t.sent(frame(0, 0, true));
        t.sent(frame(3000, 3000, false)); // corrupt: never comes out
        t.sent(frame(6000, 6000, true));
        assertEquals(0, t.decoded(0).dts());
        assertEquals(6000, t.decoded(6000).dts());
    }

    @Test
    void neverGivesADecodeTimeAfterThePresentationTimeAndStaysBounded() {
        SourceTimeline t = new SourceTimeline();
        for (int i = 0; i < 10 * SourceTimeline.MAX_PENDING; i++) {
            t.sent(frame(i * 3000L, i * 3000L + 6000, false));
        }
        SourceTimeline.Stamp s = t.decoded(5);
        assertTrue(s.dts() <= 5);
        assertEquals(5, s.pts());
    }
}
