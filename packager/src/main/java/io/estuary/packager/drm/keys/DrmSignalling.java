package io.estuary.packager.drm.keys;

import io.estuary.packager.drm.DrmSystem;
import java.util.Base64;
import java.util.Map;

/**
 * What a key server says one DRM system should signal for a key (the {@code DRMSystem} of a CPIX answer): a
 * commercial DRM's {@code pssh} carries its own data (PlayReady's header with its LA_URL, Widevine's provider and
 * content ID), which players need and we cannot make ourselves. A value the server did not give is {@code null}.
 *
 * @param pssh                  the whole {@code pssh} box, base64, as received
 * @param contentProtectionData the XML to put in the DASH ContentProtection element of this system
 * @param uriExtXKey            the URI of this system's HLS EXT-X-KEY
 * @param hlsSignalingData      per playlist ({@code media}, {@code master}), the HLS tags to write as they are
 */
public record DrmSignalling(DrmSystem system, String pssh, String contentProtectionData, String uriExtXKey,
        Map<String, String> hlsSignalingData) {

    public DrmSignalling {
        hlsSignalingData = Map.copyOf(hlsSignalingData);
    }

    /** The {@code pssh} box to put in init segments, or {@code null}. */
    public byte[] psshBox() {
        return pssh == null ? null : Base64.getDecoder().decode(pssh);
    }
}
