package io.estuary.packager.drm;

import io.estuary.packager.box.BoxWriter;
import io.estuary.packager.box.PsshBox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The complete {@code pssh} box of each DRM system a stream signals: the ones its init segments carry (at the end
 * of {@code moov}, as Shaka Packager places them), and the ones a manifest repeats (DASH {@code cenc:pssh}, the
 * data URI of Widevine's HLS EXT-X-KEY).
 *
 * <ul>
 *   <li>ClearKey: the W3C "Common SystemID and PSSH Box Format": version 1, system
 *       {@link DrmSystem#COMMON_PSSH_SYSTEM_ID}, the key ID, no data.</li>
 *   <li>Widevine: version 0, data {@link WidevinePsshData} (key ID and scheme).</li>
 *   <li>PlayReady: version 0, data the {@link PlayReadyHeader} object, as Shaka Packager writes it; the key ID is
 *       inside the header.</li>
 *   <li>FairPlay: none; its key comes from the HLS {@code skd://} URI.</li>
 * </ul>
 */
public final class PsshBoxes {

    private PsshBoxes() {
    }

    /** Every system's box in the order of {@link StreamProtection#systems()}; FairPlay has none. */
    public static Map<DrmSystem, byte[]> of(StreamProtection protection) {
        Map<DrmSystem, byte[]> boxes = new LinkedHashMap<>();
        for (DrmSystem system : protection.systems()) {
            if (hasPssh(system)) {
                boxes.put(system, box(system, protection));
            }
        }
        return boxes;
    }

    /** Whether a system is signalled by a {@code pssh} at all. */
    public static boolean hasPssh(DrmSystem system) {
        return system != DrmSystem.FAIRPLAY;
    }

    /** One system's complete box. */
    public static byte[] box(DrmSystem system, StreamProtection protection) {
        byte[] kid = protection.key().kid();
        BoxWriter w = new BoxWriter(128);
        switch (system) {
            case CLEARKEY -> PsshBox.write(w, DrmSystem.COMMON_PSSH_SYSTEM_ID, List.of(kid), new byte[0]);
            case WIDEVINE -> PsshBox.write(w, system.systemId(), List.of(),
                    WidevinePsshData.of(List.of(kid), protection.scheme()));
            case PLAYREADY -> PsshBox.write(w, system.systemId(), List.of(), PlayReadyHeader.object(protection));
            case FAIRPLAY -> throw new IllegalArgumentException("FairPlay has no pssh");
        }
        return w.toByteArray();
    }
}
