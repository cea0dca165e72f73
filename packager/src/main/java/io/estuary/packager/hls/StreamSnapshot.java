package io.estuary.packager.hls;

import java.util.Map;

/**
 * Everything HTTP handlers read, published at once by the stream's executor.
 *
 * @param tracks       by name, in the order they first started
 * @param multivariant null until every track of the latest session has a part
 * @param live         a publish session is running
 * @param dash         the MPD; null until the multivariant playlist exists
 */
record StreamSnapshot(Map<String, TrackSnapshot> tracks, RenderedText multivariant, boolean live, DashManifest dash) {

    static final StreamSnapshot EMPTY = new StreamSnapshot(Map.of(), null, false, null);
}
