package io.estuary.packager.cmaf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal ISO-BMFF reader for tests: finds boxes by path and checks that sizes nest exactly. */
final class Boxes {

    record Box(String type, int offset, int size, byte[] file) {
        int payloadOffset() {
            return offset + 8;
        }

        ByteBuffer payload() {
            return ByteBuffer.wrap(file, offset + 8, size - 8).slice();
        }
    }

    private static final List<String> CONTAINERS = List.of("moov", "trak", "mdia", "minf", "stbl", "dinf", "mvex",
            "moof", "traf", "sinf", "schi");

    private Boxes() {
    }

    /** The top-level boxes; throws if the sizes do not tile the range exactly. */
    static List<Box> children(byte[] file, int from, int to) {
        List<Box> out = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            if (pos + 8 > to) {
                throw new AssertionError("truncated box header at " + pos);
            }
            int size = ByteBuffer.wrap(file, pos, 4).getInt();
            String type = new String(file, pos + 4, 4, StandardCharsets.US_ASCII);
            if (size < 8 || pos + size > to) {
                throw new AssertionError("box " + type + " at " + pos + " has bad size " + size);
            }
            out.add(new Box(type, pos, size, file));
            pos += size;
        }
        return out;
    }

    static List<Box> top(byte[] file) {
        return children(file, 0, file.length);
    }

    /** The first box at a slash-separated path such as {@code moov/trak/mdia/mdhd}. */
    static Box find(byte[] file, String path) {
        int from = 0;
        int to = file.length;
        Box found = null;
        for (String type : path.split("/")) {
            found = null;
            for (Box b : children(file, from, to)) {
                if (b.type().equals(type)) {
                    found = b;
                    break;
                }
            }
            if (found == null) {
                throw new AssertionError("no " + type + " in " + path);
            }
            int skip = switch (type) {
                case "stsd" -> 8;
                case "dref" -> 8;
                case "avc1", "encv" -> 78;
                case "mp4a", "enca", "Opus" -> 28;
                default -> CONTAINERS.contains(type) ? 0 : -1;
            };
            from = skip < 0 ? found.payloadOffset() : found.payloadOffset() + skip;
            to = found.offset() + found.size();
        }
        return found;
    }
}
