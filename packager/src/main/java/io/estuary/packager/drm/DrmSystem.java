package io.estuary.packager.drm;

import java.util.UUID;

/**
 * The DRM systems whose signalling we write. {@link #systemId()} is the system ID of the {@code pssh} box and
 * of the DASH ContentProtection {@code urn:uuid:} scheme. ClearKey has two IDs: its {@code pssh} uses the W3C
 * common system ID ({@link #COMMON_PSSH_SYSTEM_ID}), its DASH ContentProtection the DASH-IF ClearKey ID.
 */
public enum DrmSystem {
    WIDEVINE("widevine", UUID.fromString("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed")),
    PLAYREADY("playready", UUID.fromString("9a04f079-9840-4286-ab92-e65be0885f95")),
    FAIRPLAY("fairplay", UUID.fromString("94ce86fb-07ff-4f43-adb8-93d2fa968ca2")),
    CLEARKEY("clearkey", UUID.fromString("e2719d58-a985-b3c9-781a-b030af78d30e"));

    /** W3C "Common SystemID and PSSH Box Format": the {@code pssh} a ClearKey player reads its key IDs from. */
    public static final UUID COMMON_PSSH_SYSTEM_ID = UUID.fromString("1077efec-c0b2-4d02-ace3-3c1e52e2fb4b");

    private final String configName;
    private final UUID systemId;

    DrmSystem(String configName, UUID systemId) {
        this.configName = configName;
        this.systemId = systemId;
    }

    /** The name used in config ({@code systems = [widevine, playready, fairplay, clearkey]}). */
    public String configName() {
        return configName;
    }

    public UUID systemId() {
        return systemId;
    }

    public static DrmSystem parse(String value) {
        for (DrmSystem s : values()) {
            if (s.configName.equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown DRM system '" + value
                + "' (widevine, playready, fairplay or clearkey)");
    }
}
