package io.estuary.packager.drm;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one stream is encrypted and signalled: the scheme, its content key, the DRM systems to signal (in this
 * order, in init segments, playlists and MPDs) and their license or key URLs.
 *
 * @param licenseUrls per system, where players get licenses: PlayReady's LA_URL (in its {@code pssh} and MPD),
 *                    FairPlay's {@code skd://} key URI (HLS), ClearKey's license URL (MPD); Widevine's is only
 *                    signalled in the MPD when set. A system without an entry signals no URL, except ClearKey,
 *                    which then points at this server's own license endpoint.
 */
public record StreamProtection(EncryptionScheme scheme, ContentKey key, List<DrmSystem> systems,
        Map<DrmSystem, String> licenseUrls) {

    public StreamProtection {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(key, "key");
        systems = List.copyOf(systems);
        licenseUrls = Map.copyOf(licenseUrls);
        if (systems.contains(DrmSystem.FAIRPLAY) && scheme != EncryptionScheme.CBCS) {
            throw new IllegalArgumentException("FairPlay needs the cbcs scheme");
        }
    }

    public boolean signals(DrmSystem system) {
        return systems.contains(system);
    }

    /** The license or key URL configured for a system, or {@code null}. */
    public String licenseUrl(DrmSystem system) {
        return licenseUrls.get(system);
    }
}
