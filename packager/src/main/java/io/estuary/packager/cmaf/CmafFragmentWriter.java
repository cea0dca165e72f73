package io.estuary.packager.cmaf;

import io.estuary.packager.box.BoxWriter;
import io.estuary.packager.box.MfhdBox;
import io.estuary.packager.box.SampleFlags;
import io.estuary.packager.box.TfdtBox;
import io.estuary.packager.box.TfhdBox;
import io.estuary.packager.box.TrunBox;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one CMAF chunk: {@code moof} ({@code mfhd}, {@code traf} with {@code tfhd}, {@code tfdt} v1 and
 * {@code trun} v1) followed by its {@code mdat}. No {@code styp}: a segment is exactly the concatenation of its
 * chunks, so every chunk must look the same.
 */
public final class CmafFragmentWriter {

    private CmafFragmentWriter() {
    }

    public static byte[] write(long sequenceNumber, long baseMediaDecodeTime, List<CmafSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a CMAF chunk needs at least one sample");
        }
        long payload = 0;
        List<TrunBox.Sample> rows = new ArrayList<>(samples.size());
        for (CmafSample s : samples) {
            payload += s.data().length;
            rows.add(new TrunBox.Sample(s.duration(), s.data().length, SampleFlags.of(s.sync()),
                    s.compositionOffset()));
        }
        int moofEstimate = 100 + 16 * samples.size();
        if (payload + moofEstimate > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("chunk too large: " + payload + " bytes of samples");
        }
        BoxWriter w = new BoxWriter((int) (payload + moofEstimate));
        int moof = w.start("moof");
        MfhdBox.write(w, sequenceNumber);
        int traf = w.start("traf");
        TfhdBox.write(w, CmafInitWriter.TRACK_ID);
        TfdtBox.write(w, baseMediaDecodeTime);
        int dataOffsetAt = TrunBox.write(w, rows);
        w.end(traf);
        w.end(moof);
        // default-base-is-moof: the offset counts from the moof's first byte to the first sample byte
        w.patchU32(dataOffsetAt, (long) (w.position() - moof) + 8);
        int mdat = w.start("mdat");
        for (CmafSample s : samples) {
            w.bytes(s.data());
        }
        w.end(mdat);
        return w.toByteArray();
    }
}
