package io.estuary.packager.dash;

import io.estuary.packager.drm.DrmSignals;
import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.StreamProtection;

/**
 * The ContentProtection descriptors of an encrypted AdaptationSet (ISO/IEC 23009-1 5.8.4.1, DASH-IF IOP 7.7):
 * first the {@code mp4protection} descriptor naming the scheme and the {@code cenc:default_KID}, then one per
 * DRM system with its {@code cenc:pssh} (the very box the init segment carries), PlayReady's {@code mspr:pro}, and
 * a {@code dashif:Laurl} where a license URL is known (ClearKey always: this server's endpoint unless configured).
 * FairPlay is HLS only and has none.
 */
final class ContentProtectionWriter {

    static final String MP4_PROTECTION = "urn:mpeg:dash:mp4protection:2011";

    private ContentProtectionWriter() {
    }

    static boolean anyProtected(Mpd mpd) {
        for (Mpd.Period p : mpd.periods()) {
            for (Mpd.Representation r : p.representations()) {
                if (r.protection() != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The namespaces the descriptors use, declared once on the MPD element. */
    static void namespaces(StringBuilder b) {
        b.append(" xmlns:cenc=\"urn:mpeg:cenc:2013\" xmlns:mspr=\"urn:microsoft:playready\"")
                .append(" xmlns:dashif=\"https://dashif.org/CPS\"");
    }

    static void write(StringBuilder b, StreamProtection protection, String origin) {
        DrmSignals s = DrmSignals.of(protection);
        b.append("      <ContentProtection");
        MpdWriter.attr(b, "schemeIdUri", MP4_PROTECTION);
        MpdWriter.attr(b, "value", s.scheme().fourcc());
        MpdWriter.attr(b, "cenc:default_KID", protection.key().kidUuid().toString());
        b.append("/>\n");
        for (DrmSystem system : protection.systems()) {
            switch (system) {
                case WIDEVINE -> system(b, system, "Widevine", s.licenseUrl(system), s.psshBase64(system), null);
                case PLAYREADY -> system(b, system, "MSPR 2.0", s.licenseUrl(system), s.psshBase64(system),
                        s.playReadyObjectBase64());
                case CLEARKEY -> system(b, system, "ClearKey1.0", s.clearKeyLicenseUrl(origin),
                        s.psshBase64(system), null);
                case FAIRPLAY -> {
                    // FairPlay plays HLS; an MPD has no FairPlay signalling players read
                }
            }
        }
    }

    private static void system(StringBuilder b, DrmSystem system, String value, String licenseUrl, String pssh,
            String pro) {
        b.append("      <ContentProtection");
        MpdWriter.attr(b, "schemeIdUri", "urn:uuid:" + system.systemId());
        MpdWriter.attr(b, "value", value);
        b.append(">\n");
        if (licenseUrl != null) {
            b.append("        <dashif:Laurl>");
            MpdWriter.escaped(b, licenseUrl);
            b.append("</dashif:Laurl>\n");
        }
        if (pssh != null) {
            b.append("        <cenc:pssh>").append(pssh).append("</cenc:pssh>\n");
        }
        if (pro != null && !pro.isEmpty()) {
            b.append("        <mspr:pro>").append(pro).append("</mspr:pro>\n");
        }
        b.append("      </ContentProtection>\n");
    }
}
