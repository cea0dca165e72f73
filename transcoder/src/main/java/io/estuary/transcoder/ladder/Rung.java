package io.estuary.transcoder.ladder;

/**
 * A rung resolved against a source: its real output size (even, never above the source) and rates. A
 * passed-through rung has the source's size and no rates: its bit rate is whatever the broadcaster sends.
 */
public record Rung(String name, boolean passthrough, int width, int height, int bitrate, int maxrate, int bufsize) {

    /** Pixels per frame: the encoding cost a rung's place in load shedding is ranked by. */
    public long pixels() {
        return (long) width * height;
    }
}
