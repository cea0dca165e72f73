package io.estuary.packager.box;

/**
 * {@code edts} with an {@code elst} (ISO/IEC 14496-12, 8.6.5 and 8.6.6), version 0, of one edit that starts the
 * presentation {@code mediaTime} into the media and lasts as long as the media does: segment_duration 0, which in
 * a fragmented file means "all of it, fragments included", as nothing can tell a live track's duration up front.
 */
public final class EdtsBox {

    private EdtsBox() {
    }

    public static void write(BoxWriter w, long mediaTime) {
        if (mediaTime < 0 || mediaTime > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("media_time out of range: " + mediaTime);
        }
        int edts = w.start("edts");
        int elst = w.startFull("elst", 0, 0);
        w.u32(1); // entry_count
        w.u32(0); // segment_duration: the whole media
        w.u32(mediaTime); // media_time
        w.u16(1); // media_rate_integer
        w.u16(0); // media_rate_fraction
        w.end(elst);
        w.end(edts);
    }
}
