package io.estuary.media.frame;

/** The kind of elementary stream a track carries. */
public enum MediaType {
    VIDEO,
    AUDIO
}
