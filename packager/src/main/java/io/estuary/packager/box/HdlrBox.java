package io.estuary.packager.box;

/** {@code hdlr} (ISO/IEC 14496-12, 8.4.3): the media handler ({@code vide}, {@code soun}) and its name. */
public final class HdlrBox {

    private HdlrBox() {
    }

    public static void write(BoxWriter w, String handlerType, String name) {
        int box = w.startFull("hdlr", 0, 0);
        w.u32(0); // pre_defined
        w.fourcc(handlerType);
        w.zeros(3 * 4); // reserved
        w.cString(name);
        w.end(box);
    }
}
