package io.estuary.packager.drm;

import io.estuary.media.frame.MediaType;
import io.estuary.packager.box.TencBox;

/**
 * How one track's samples are encrypted: the scheme, the key and the pattern. Both the init segment's {@code tenc}
 * and the {@link SampleEncryptor} read it from here, so the two cannot disagree.
 *
 * <p>{@code cbcs} video uses the 1:9 pattern (as ISO/IEC 23001-7 recommends). {@code cbcs} audio uses no pattern
 * (0:0): every whole 16-byte block of the sample is encrypted in one chain and the partial last block stays clear
 * ("whole-block full-sample encryption"). That is what Shaka Packager writes for non-video tracks under pattern
 * schemes (EncryptionHandler::SetupProtectionPattern sets crypt_byte_block and skip_byte_block to 0, tenc still
 * version 1), and what FFmpeg's mov demuxer decrypts for a {@code cbcs} sample without subsamples.
 *
 * @param cryptByteBlock 16-byte blocks encrypted per pattern repetition; 0 with {@code skipByteBlock} 0: no pattern
 * @param skipByteBlock  16-byte blocks left clear per pattern repetition
 */
public record TrackEncryption(EncryptionScheme scheme, ContentKey key, int cryptByteBlock, int skipByteBlock) {

    /** {@code cenc} per-sample IVs are 8 bytes: a 64-bit IV and a 64-bit block counter. */
    public static final int CENC_IV_SIZE = 8;

    public static TrackEncryption of(StreamProtection protection, MediaType type) {
        return switch (protection.scheme()) {
            case CENC -> new TrackEncryption(EncryptionScheme.CENC, protection.key(), 0, 0);
            case CBCS -> switch (type) {
                case VIDEO -> new TrackEncryption(EncryptionScheme.CBCS, protection.key(), 1, 9);
                case AUDIO -> new TrackEncryption(EncryptionScheme.CBCS, protection.key(), 0, 0);
            };
        };
    }

    /** Bytes of IV each sample carries in {@code senc}: 8 for {@code cenc}, none with the constant IV of cbcs. */
    public int perSampleIvSize() {
        return scheme == EncryptionScheme.CENC ? CENC_IV_SIZE : 0;
    }

    /** The {@code tenc} of the track: version 0 for {@code cenc}; version 1 and the constant IV for cbcs. */
    public TencBox.Defaults tenc() {
        return switch (scheme) {
            case CENC -> new TencBox.Defaults(0, 0, 0, CENC_IV_SIZE, key.kid(), null);
            case CBCS -> new TencBox.Defaults(1, cryptByteBlock, skipByteBlock, 0, key.kid(), key.iv());
        };
    }
}
