package io.estuary.packager.drm;

import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * What playlists and MPDs say about one protection: the key ID, each system's {@code pssh} box and PlayReady's
 * header object (base64, as the signalling carries them) and the license URLs. Made from a
 * {@link StreamProtection} by {@link #of}; cheap, so writers make it when they render.
 */
public final class DrmSignals {

    /** The ClearKey license endpoint of this server (W3C EME ClearKey JSON), relative to its origin. */
    public static final String CLEARKEY_LICENSE_PATH = "/drm/clearkey/license";
    /**
     * This server's raw-key endpoint for HLS ClearKey ({@code KEYFORMAT="identity"}): {@code GET} of this path plus
     * the key ID in hex answers the 16-byte key, to the same authorised clients as the license endpoint.
     */
    public static final String CLEARKEY_KEY_PATH = "/drm/clearkey/keys/";

    private final StreamProtection protection;
    private final Map<DrmSystem, String> psshBase64 = new EnumMap<>(DrmSystem.class);
    private final String playReadyObjectBase64;

    /**
     * @param psshBoxes       each signalled system's complete {@code pssh} box (none for FairPlay)
     * @param playReadyObject the PlayReady Object (PRO) of the PlayReady {@code pssh}, or empty without PlayReady
     */
    public DrmSignals(StreamProtection protection, Map<DrmSystem, byte[]> psshBoxes, byte[] playReadyObject) {
        this.protection = protection;
        psshBoxes.forEach((system, box) -> psshBase64.put(system, Base64.getEncoder().encodeToString(box)));
        this.playReadyObjectBase64 = Base64.getEncoder().encodeToString(playReadyObject);
    }

    public static DrmSignals of(StreamProtection protection) {
        return new DrmSignals(protection, PsshBoxes.of(protection), protection.signals(DrmSystem.PLAYREADY)
                ? PlayReadyHeader.object(protection) : new byte[0]);
    }

    public StreamProtection protection() {
        return protection;
    }

    public EncryptionScheme scheme() {
        return protection.scheme();
    }

    public String kidHex() {
        return protection.key().kidHex();
    }

    /** The system's {@code pssh} box in base64, or {@code null} when it has none. */
    public String psshBase64(DrmSystem system) {
        return psshBase64.get(system);
    }

    public String playReadyObjectBase64() {
        return playReadyObjectBase64;
    }

    /** FairPlay's key URI: the configured one, else {@code skd://} and the key ID, the usual convention. */
    public String fairPlayKeyUri() {
        String configured = protection.licenseUrl(DrmSystem.FAIRPLAY);
        return configured != null && !configured.isEmpty() ? configured : "skd://" + kidHex();
    }

    /** The ClearKey license URL: the configured one, else this server's endpoint under {@code origin}. */
    public String clearKeyLicenseUrl(String origin) {
        String configured = protection.licenseUrl(DrmSystem.CLEARKEY);
        return configured != null && !configured.isEmpty() ? configured : origin + CLEARKEY_LICENSE_PATH;
    }

    /** A configured license URL of a system, or {@code null}. */
    public String licenseUrl(DrmSystem system) {
        String url = protection.licenseUrl(system);
        return url == null || url.isEmpty() ? null : url;
    }
}
