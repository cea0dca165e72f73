package io.estuary.packager.cmaf;

import io.estuary.media.frame.TrackInfo;

/**
 * A track as packaged: its name in URLs ({@code video}, {@code audio}; later one per rendition), the track it
 * comes from, and the epoch of its current init segment. The epoch changes with every publish session and every
 * codec change, so that no URL ever names different bytes (DESIGN.md): media URLs are
 * {@code {name}/{epoch}/init.mp4}, {@code {name}/{epoch}/{msn}.m4s} and {@code {name}/{epoch}/{msn}.{part}.m4s}.
 */
public record PackagedTrack(String name, TrackInfo info, String epoch) {
}
