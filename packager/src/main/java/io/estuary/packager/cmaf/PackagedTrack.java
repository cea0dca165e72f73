package io.estuary.packager.cmaf;

import io.estuary.media.frame.TrackInfo;
import io.estuary.packager.drm.StreamProtection;

/**
 * A track as packaged: its name in URLs ({@code video} and {@code audio}, or a rendition's label such as
 * {@code 720p}; see {@link Segmenter}), the track it comes from, and the epoch of its current init segment. The
 * epoch changes with every publish session and every codec change, so that no URL ever names different bytes
 * (DESIGN.md): media URLs are {@code {name}/{epoch}/init.mp4}, {@code {name}/{epoch}/{msn}.m4s} and
 * {@code {name}/{epoch}/{msn}.{part}.m4s}.
 *
 * @param protection how the track's samples are encrypted and signalled, or {@code null} for clear media; it is
 *                   fixed for an epoch, so playlists and MPDs read it from the track they list
 */
public record PackagedTrack(String name, TrackInfo info, String epoch, StreamProtection protection) {

    public PackagedTrack(String name, TrackInfo info, String epoch) {
        this(name, info, epoch, null);
    }

    public boolean encrypted() {
        return protection != null;
    }
}
