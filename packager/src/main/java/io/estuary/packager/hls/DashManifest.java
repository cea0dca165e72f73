package io.estuary.packager.hls;

import io.estuary.packager.dash.DashConfig;
import io.estuary.packager.dash.Mpd;
import io.estuary.packager.dash.MpdWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One version of a stream's MPD, shared by the snapshots that do not change it (the MPD changes when a segment
 * starts or completes, not with every part). The text names the server's clock by an absolute URL, which depends
 * on the host the player used: it is rendered once per host, for the few hosts a server answers to.
 */
final class DashManifest {

    /** More hosts than this are rendered per request, not kept (host names come from clients). */
    private static final int MAX_RENDERED_HOSTS = 8;

    final Mpd mpd;
    private final Map<String, RenderedText> rendered = new ConcurrentHashMap<>();

    DashManifest(Mpd mpd) {
        this.mpd = mpd;
    }

    RenderedText render(DashConfig config, String origin) {
        RenderedText text = rendered.get(origin);
        if (text == null) {
            text = new RenderedText(MpdWriter.write(mpd, config, origin));
            if (rendered.size() < MAX_RENDERED_HOSTS) {
                rendered.putIfAbsent(origin, text);
            }
        }
        return text;
    }
}
