package io.estuary.packager.cmaf;

import io.estuary.packager.box.BoxWriter;
import io.estuary.packager.box.MfhdBox;
import io.estuary.packager.box.RollGroupBoxes;
import io.estuary.packager.box.SaioBox;
import io.estuary.packager.box.SaizBox;
import io.estuary.packager.box.SampleFlags;
import io.estuary.packager.box.SencBox;
import io.estuary.packager.box.TfdtBox;
import io.estuary.packager.box.TfhdBox;
import io.estuary.packager.box.TrunBox;
import io.estuary.packager.drm.EncryptedSample;
import io.estuary.packager.drm.SampleEncryptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one CMAF chunk: {@code moof} ({@code mfhd}, {@code traf} with {@code tfhd}, {@code tfdt} v1 and
 * {@code trun} v1) followed by its {@code mdat}. No {@code styp}: a segment is exactly the concatenation of its
 * chunks, so every chunk must look the same. An Opus chunk also maps its samples to the 'roll' group of the
 * track's header ({@code sbgp}), as the Opus mapping requires of every fragment.
 *
 * <p>With an encryptor the samples go into {@code mdat} encrypted and the {@code traf} also carries their
 * encryption information ({@code saiz}, {@code saio}, {@code senc}). Every chunk carries its own, so each part
 * decrypts without the parts before it.
 */
public final class CmafFragmentWriter {

    private CmafFragmentWriter() {
    }

    public static byte[] write(long sequenceNumber, long baseMediaDecodeTime, List<CmafSample> samples) {
        return write(sequenceNumber, baseMediaDecodeTime, samples, null);
    }

    /** A chunk whose samples {@code encryptor} encrypts; a null encryptor writes the clear chunk. */
    public static byte[] write(long sequenceNumber, long baseMediaDecodeTime, List<CmafSample> samples,
            SampleEncryptor encryptor) {
        return write(sequenceNumber, baseMediaDecodeTime, samples, encryptor, false);
    }

    /**
     * @param rollGroup map every sample to the 'roll' sample group of the track's header (Opus: its pre-roll)
     */
    public static byte[] write(long sequenceNumber, long baseMediaDecodeTime, List<CmafSample> samples,
            SampleEncryptor encryptor, boolean rollGroup) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a CMAF chunk needs at least one sample");
        }
        long payload = 0;
        List<byte[]> data = new ArrayList<>(samples.size());
        List<byte[]> auxInfo = encryptor == null ? null : new ArrayList<>(samples.size());
        List<TrunBox.Sample> rows = new ArrayList<>(samples.size());
        for (CmafSample s : samples) {
            byte[] bytes = s.data();
            if (encryptor != null) {
                EncryptedSample e = encryptor.encrypt(bytes);
                bytes = e.data();
                auxInfo.add(e.auxInfo());
            }
            data.add(bytes);
            payload += bytes.length;
            rows.add(new TrunBox.Sample(s.duration(), bytes.length, SampleFlags.of(s.sync()), s.compositionOffset()));
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
        if (encryptor != null) {
            writeEncryptionInfo(w, moof, auxInfo, encryptor.usesSubsamples());
        }
        if (rollGroup) {
            RollGroupBoxes.writeMapping(w, samples.size());
        }
        w.end(traf);
        w.end(moof);
        // default-base-is-moof: the offset counts from the moof's first byte to the first sample byte
        w.patchU32(dataOffsetAt, (long) (w.position() - moof) + 8);
        int mdat = w.start("mdat");
        for (byte[] bytes : data) {
            w.bytes(bytes);
        }
        w.end(mdat);
        return w.toByteArray();
    }

    /**
     * {@code saiz} and {@code saio} pointing into {@code senc}, which holds the information itself. When every
     * sample's information is empty ({@code cbcs} audio: constant IV, no subsamples) there is nothing to point at:
     * ISO/IEC 23001-7:2016 says empty information should be omitted (as Shaka Packager's fragmenter quotes it),
     * and like Shaka Packager we then write no {@code saiz}/{@code saio} but keep the {@code senc} with its sample
     * count; FFmpeg then gives every sample the {@code tenc} defaults.
     */
    private static void writeEncryptionInfo(BoxWriter w, int moof, List<byte[]> auxInfo, boolean subsamples) {
        int[] sizes = auxInfo.stream().mapToInt(a -> a.length).toArray();
        boolean empty = auxInfo.stream().allMatch(a -> a.length == 0);
        int saioOffsetAt = -1;
        if (!empty) {
            SaizBox.write(w, sizes);
            saioOffsetAt = SaioBox.write(w);
        }
        int firstEntry = SencBox.write(w, auxInfo, subsamples);
        if (saioOffsetAt >= 0) {
            w.patchU32(saioOffsetAt, firstEntry - moof);
        }
    }
}
