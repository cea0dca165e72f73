package io.estuary.packager.hls;

import io.estuary.packager.drm.DrmSignals;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.StreamProtection;

/**
 * The EXT-X-KEY tags of an encrypted track (and the EXT-X-SESSION-KEY tags of the multivariant playlist, which say
 * the same so that players can fetch licenses before the first media playlist): one per signalled system, each
 * with the system's KEYFORMAT, all with the same METHOD ({@code SAMPLE-AES-CTR} for {@code cenc}, {@code SAMPLE-AES}
 * for {@code cbcs}). The IVs are in the segments ({@code senc}), so no IV attribute.
 *
 * <ul>
 *   <li>FairPlay: {@code com.apple.streamingkeydelivery} with the {@code skd://} key URI.</li>
 *   <li>Widevine: its system ID as KEYFORMAT, its {@code pssh} box as a data URI, and the KEYID.</li>
 *   <li>PlayReady: {@code com.microsoft.playready}, its header object as a UTF-16 data URI.</li>
 *   <li>ClearKey: {@code identity}, the key URI of this server's raw-key endpoint (Shaka Player's HLS ClearKey:
 *       it fetches the URI, authorised as for the license endpoint, and hands the key to the browser's ClearKey).
 *       The URI is an absolute path, so it resolves against whichever origin served the playlist.</li>
 * </ul>
 */
final class HlsKeyTags {

    static final String KEY = "#EXT-X-KEY:";
    static final String SESSION_KEY = "#EXT-X-SESSION-KEY:";

    private HlsKeyTags() {
    }

    /**
     * Appends one line per signalled system. For clear media after encrypted segments, METHOD=NONE ends the key's
     * scope; otherwise clear media has no tag.
     */
    static void append(StringBuilder b, String tag, StreamProtection protection, boolean afterEncrypted) {
        if (protection == null) {
            if (afterEncrypted) {
                b.append(tag).append("METHOD=NONE\n");
            }
            return;
        }
        DrmSignals s = DrmSignals.of(protection);
        String method = s.scheme().hlsMethod();
        for (DrmSystem system : protection.systems()) {
            switch (system) {
                case FAIRPLAY -> line(b, tag, method, s.fairPlayKeyUri(), null, "com.apple.streamingkeydelivery");
                case WIDEVINE -> {
                    String pssh = s.psshBase64(system);
                    if (pssh != null) {
                        line(b, tag, method, "data:text/plain;base64," + pssh, s.kidHex(),
                                "urn:uuid:" + system.systemId());
                    }
                }
                case PLAYREADY -> line(b, tag, method,
                        "data:text/plain;charset=UTF-16;base64," + s.playReadyObjectBase64(), null,
                        "com.microsoft.playready");
                case CLEARKEY -> line(b, tag, method, DrmSignals.CLEARKEY_KEY_PATH + s.kidHex(), null, "identity");
            }
        }
    }

    private static void line(StringBuilder b, String tag, String method, String uri, String kidHex,
            String keyFormat) {
        b.append(tag).append("METHOD=").append(method).append(",URI=\"").append(uri).append('"');
        if (kidHex != null) {
            b.append(",KEYID=0x").append(kidHex);
        }
        b.append(",KEYFORMAT=\"").append(keyFormat).append("\",KEYFORMATVERSIONS=\"1\"\n");
    }
}
