package io.estuary.packager.drm.keys;

import java.util.Locale;

/** The {@code key-provider} of a stream's DRM policy: where its content key comes from. */
public enum KeyProviderType {
    /** The keys written in {@code estuary.drm.static-keys}, per stream or per app. */
    STATIC,
    /** A random key per stream, drawn and kept by this server ({@link GeneratedKeyProvider}). */
    GENERATED,
    /** A key server speaking DASH-IF CPIX ({@link CpixKeyProvider}). */
    CPIX;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyProviderType parse(String value) {
        for (KeyProviderType t : values()) {
            if (t.configName().equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown key provider '" + value + "' (static, generated or cpix)");
    }
}
