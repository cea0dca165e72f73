package io.estuary.server.e2e.support;

import java.nio.ByteBuffer;

/** Reads what the ABR tests compare out of CMAF objects: a fragment's base media decode time (tfdt). */
public final class Fmp4 {

    private Fmp4() {
    }

    /** The tfdt of the first moof/traf in {@code segment}; fails when there is none. */
    public static long firstTfdt(byte[] segment) {
        long found = find(ByteBuffer.wrap(segment), 0, segment.length, new String[] {"moof", "traf", "tfdt"}, 0);
        if (found < 0) {
            throw new AssertionError("no moof/traf/tfdt in a " + segment.length + "-byte object");
        }
        return found;
    }

    private static long find(ByteBuffer b, int from, int to, String[] path, int depth) {
        int at = from;
        while (at + 8 <= to) {
            long size = b.getInt(at) & 0xFFFFFFFFL;
            String type = new String(new byte[] {b.get(at + 4), b.get(at + 5), b.get(at + 6), b.get(at + 7)},
                    java.nio.charset.StandardCharsets.US_ASCII);
            if (size < 8 || at + size > to) {
                return -1;
            }
            if (type.equals(path[depth])) {
                if (depth == path.length - 1) {
                    int version = b.get(at + 8);
                    return version == 1 ? b.getLong(at + 12) : b.getInt(at + 12) & 0xFFFFFFFFL;
                }
                return find(b, at + 8, (int) (at + size), path, depth + 1);
            }
            at += (int) size;
        }
        return -1;
    }
}
