package io.estuary.packager.drm;

import io.estuary.media.codec.h264.SliceHeaderParser;
import io.estuary.media.frame.AvcConfig;
import io.estuary.media.frame.CodecConfig;
import io.estuary.media.frame.MediaType;
import io.estuary.packager.box.BoxWriter;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts the samples of one track, one after another, into new arrays. H.264 samples are encrypted by subsample
 * ({@link AvcSubsamples}); audio samples whole, with no subsample map.
 *
 * <p>{@code cenc} IVs: a random 64-bit start per track, plus one per sample, so that no IV repeats within a track
 * (a repeated CTR IV under the same key would reveal the XOR of two samples). Tracks sharing a key start at
 * independent random points, so their IV ranges overlap with negligible probability (samples per track / 2^64).
 *
 * <p>Not thread-safe and not meant to be: it lives in one {@code SegmenterTrack} and runs on the stream's executor.
 */
public final class SampleEncryptor {
    private static final Logger log = LoggerFactory.getLogger(SampleEncryptor.class);

    /** What one sample's {@code senc} entry may hold: {@code saiz} sizes are 8 bits. */
    private static final int MAX_AUX_INFO_BYTES = 0xff;

    private final TrackEncryption encryption;
    private final AvcSubsamples subsamples;
    private final RangeCipher cipher;
    private long nextIv;

    SampleEncryptor(StreamProtection protection, CodecConfig config, ClearHeaderLength clearHeader, long firstIv) {
        this.encryption = TrackEncryption.of(protection, config.mediaType());
        if (config instanceof AvcConfig avc) {
            int maxEntries = (MAX_AUX_INFO_BYTES - encryption.perSampleIvSize() - 2) / 6;
            this.subsamples = new AvcSubsamples(avc.nalLengthSize(), encryption.scheme(), clearHeader, maxEntries);
        } else if (config.mediaType() == MediaType.AUDIO) {
            this.subsamples = null;
        } else {
            throw new IllegalArgumentException("no subsample encryption for " + config.name());
        }
        byte[] key = protection.key().key();
        this.cipher = switch (encryption.scheme()) {
            case CENC -> new CtrRangeCipher(key);
            case CBCS -> new CbcsRangeCipher(key, protection.key().iv(), encryption.cryptByteBlock(),
                    encryption.skipByteBlock());
        };
        this.nextIv = firstIv;
    }

    /**
     * An encryptor for one track. H.264 slices keep their slice header clear (read with the track's SPS and PPS),
     * as HLS SAMPLE-AES and secure decoders expect; a slice the parser cannot read keeps its NAL header clear.
     */
    public static SampleEncryptor forTrack(StreamProtection protection, CodecConfig config) {
        ClearHeaderLength clear = ClearHeaderLength.NAL_HEADER;
        if (config instanceof AvcConfig avc) {
            try {
                clear = SliceHeaderParser.of(avc.sps(), avc.pps())::headerBytes;
            } catch (IllegalArgumentException e) {
                log.warn("Parameter sets unreadable ({}): encrypted slices keep only their NAL header clear",
                        e.getMessage());
            }
        }
        return forTrack(protection, config, clear);
    }

    /** An encryptor for one track; H.264 slices keep {@code clearHeader} bytes clear. */
    public static SampleEncryptor forTrack(StreamProtection protection, CodecConfig config,
            ClearHeaderLength clearHeader) {
        return new SampleEncryptor(protection, config, clearHeader, new SecureRandom().nextLong());
    }

    public TrackEncryption encryption() {
        return encryption;
    }

    /** Whether samples carry subsample maps: the {@code senc} flag 0x2. */
    public boolean usesSubsamples() {
        return subsamples != null;
    }

    public EncryptedSample encrypt(byte[] sample) {
        byte[] out = sample.clone();
        byte[] iv = encryption.perSampleIvSize() == 0 ? null : nextIv();
        cipher.startSample(iv);
        BoxWriter aux = new BoxWriter(32);
        if (iv != null) {
            aux.bytes(iv);
        }
        if (subsamples == null) {
            cipher.protect(out, 0, out.length);
        } else {
            List<Subsample> map = subsamples.split(sample);
            aux.u16(map.size());
            int pos = 0;
            for (Subsample s : map) {
                aux.u16(s.clearBytes()).u32(s.protectedBytes());
                pos += s.clearBytes();
                if (s.protectedBytes() > 0) {
                    cipher.protect(out, pos, s.protectedBytes());
                }
                pos += s.protectedBytes();
            }
        }
        return new EncryptedSample(out, aux.toByteArray());
    }

    private byte[] nextIv() {
        long v = nextIv++;
        byte[] iv = new byte[TrackEncryption.CENC_IV_SIZE];
        for (int i = iv.length - 1; i >= 0; i--) {
            iv[i] = (byte) v;
            v >>>= 8;
        }
        return iv;
    }
}
