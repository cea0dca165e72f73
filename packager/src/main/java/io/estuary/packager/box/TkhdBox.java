package io.estuary.packager.box;

/** {@code tkhd} (ISO/IEC 14496-12, 8.3.2), version 0, flags track_enabled | track_in_movie. */
public final class TkhdBox {

    private static final int ENABLED_IN_MOVIE = 0x000003;

    private TkhdBox() {
    }

    /** A video track header: width and height in pixels, written as 16.16 fixed point. */
    public static void writeVideo(BoxWriter w, int trackId, int width, int height) {
        write(w, trackId, 0, width, height);
    }

    /** An audio track header: full volume, no dimensions. */
    public static void writeAudio(BoxWriter w, int trackId) {
        write(w, trackId, 0x0100, 0, 0);
    }

    private static void write(BoxWriter w, int trackId, int volume, int width, int height) {
        int box = w.startFull("tkhd", 0, ENABLED_IN_MOVIE);
        w.u32(0); // creation_time
        w.u32(0); // modification_time
        w.u32(trackId);
        w.u32(0); // reserved
        w.u32(0); // duration: unknown, fragmented
        w.zeros(8); // reserved
        w.u16(0); // layer
        w.u16(0); // alternate_group
        w.u16(volume); // 8.8 fixed point
        w.u16(0); // reserved
        Matrix.writeUnity(w);
        w.u32((long) width << 16);
        w.u32((long) height << 16);
        w.end(box);
    }
}
