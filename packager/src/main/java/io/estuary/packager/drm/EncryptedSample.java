package io.estuary.packager.drm;

/**
 * One sample after encryption.
 *
 * @param data    the encrypted sample, a new array (the clear sample is shared and never changed)
 * @param auxInfo the sample's {@code senc} entry: its IV (if per-sample), then, for tracks with subsamples, the
 *                subsample count and entries; its length is the sample's {@code saiz} size
 */
public record EncryptedSample(byte[] data, byte[] auxInfo) {
}
