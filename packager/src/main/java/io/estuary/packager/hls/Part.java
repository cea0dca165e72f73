package io.estuary.packager.hls;

/** One partial segment as kept in the live window. Immutable by convention: {@code bytes} is never modified. */
record Part(int index, byte[] bytes, long durationTicks, int sampleCount, boolean independent) {
}
