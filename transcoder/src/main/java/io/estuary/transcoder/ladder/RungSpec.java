package io.estuary.transcoder.ladder;

import com.typesafe.config.Config;
import io.estuary.media.frame.TrackInfo;

/**
 * One rung of a configured ladder, before it meets a source: either the source passed through untouched, or a
 * height (the width follows the source's aspect ratio unless given) at a target bit rate. Encoded rungs are
 * constrained (VBV): the encoder never exceeds {@code maxrate} over a {@code bufsize} window, so the BANDWIDTH a
 * playlist announces holds.
 *
 * @param name     the rendition's name in URLs and metrics ({@code 720p}): a-z, 0-9 and '_'
 * @param width    0 to follow the source's aspect ratio
 * @param bitrate  target bit rate (bits/s); 0 for the passed-through source
 * @param maxrate  VBV peak rate (bits/s); 0 for the passed-through source
 * @param bufsize  VBV buffer (bits); 0 for the passed-through source
 */
public record RungSpec(String name, boolean passthrough, int width, int height, int bitrate, int maxrate,
        int bufsize) {

    public RungSpec {
        if (!TrackInfo.isValidLabel(name)) {
            throw new IllegalArgumentException("name must be 1 to 32 of a-z, 0-9 and '_': '" + name + "'");
        }
        if (!passthrough) {
            if (height < 16 || height > 4320 || height % 2 != 0) {
                throw new IllegalArgumentException("height of " + name + " must be even, 16 to 4320: " + height);
            }
            if (width != 0 && (width < 16 || width > 7680 || width % 2 != 0)) {
                throw new IllegalArgumentException("width of " + name + " must be even, 16 to 7680: " + width);
            }
            if (bitrate <= 0 || maxrate < bitrate || bufsize <= 0) {
                throw new IllegalArgumentException("bit rates of " + name
                        + " must be positive, with maxrate at least bitrate");
            }
        }
    }

    public static RungSpec source(String name) {
        return new RungSpec(name, true, 0, 0, 0, 0, 0);
    }

    /** A rung at {@code height} whose VBV allows the target rate as peak over one second: capped, near-CBR. */
    public static RungSpec of(String name, int height, int bitrate) {
        return new RungSpec(name, false, 0, height, bitrate, bitrate, bitrate);
    }

    /**
     * Reads one ladder entry: {@code { name = source, passthrough = true }} or
     * {@code { name = 720p, height = 720, bitrate = 2800k }} with optional {@code width}, {@code maxrate} (default
     * the bitrate) and {@code bufsize} (default one second at maxrate).
     */
    static RungSpec from(Config c) {
        String name = c.getString("name");
        if (c.hasPath("passthrough") && c.getBoolean("passthrough")) {
            return source(name);
        }
        if (!c.hasPath("height") || !c.hasPath("bitrate")) {
            throw new IllegalArgumentException("rung " + name + " needs height and bitrate (or passthrough = true)");
        }
        int bitrate = BitRate.parse(c.getString("bitrate"));
        int maxrate = c.hasPath("maxrate") ? BitRate.parse(c.getString("maxrate")) : bitrate;
        int bufsize = c.hasPath("bufsize") ? BitRate.parse(c.getString("bufsize")) : maxrate;
        return new RungSpec(name, false, c.hasPath("width") ? c.getInt("width") : 0, c.getInt("height"), bitrate,
                maxrate, bufsize);
    }
}
