package io.estuary.packager.drm.keys;

import io.estuary.packager.drm.DrmSystem;
import io.estuary.packager.drm.EncryptionScheme;
import java.util.List;
import java.util.UUID;

/**
 * The CPIX 2.3 request a key server is sent (the Encryptor Consumer workflow; SPEKE v2 profiles it): one content
 * key with a fresh key ID and its scheme, a DRMSystem per system asking for its signalling, and one usage rule
 * saying that key protects every track (SPEKE v2's {@code intendedTrackType="ALL"}).
 */
final class CpixRequestWriter {

    static final String CPIX_NS = "urn:dashif:org:cpix";
    static final String PSKC_NS = "urn:ietf:params:xml:ns:keyprov:pskc";

    private CpixRequestWriter() {
    }

    static String write(String contentId, UUID kid, EncryptionScheme scheme, List<DrmSystem> systems) {
        StringBuilder x = new StringBuilder(1024);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<cpix:CPIX xmlns:cpix=\"").append(CPIX_NS).append("\" xmlns:pskc=\"").append(PSKC_NS)
                .append("\" contentId=\"").append(escape(contentId)).append("\" version=\"2.3\">\n")
                .append("  <cpix:ContentKeyList>\n")
                .append("    <cpix:ContentKey kid=\"").append(kid).append("\" commonEncryptionScheme=\"")
                .append(scheme.fourcc()).append("\"/>\n")
                .append("  </cpix:ContentKeyList>\n");
        if (!systems.isEmpty()) {
            x.append("  <cpix:DRMSystemList>\n");
            for (DrmSystem system : systems) {
                x.append("    <cpix:DRMSystem kid=\"").append(kid).append("\" systemId=\"")
                        .append(system.systemId()).append("\">\n");
                // Empty elements ask for the signalling; FairPlay has no pssh, its key URI is what HLS needs.
                if (system == DrmSystem.FAIRPLAY) {
                    x.append("      <cpix:URIExtXKey/>\n");
                } else {
                    x.append("      <cpix:PSSH/>\n      <cpix:ContentProtectionData/>\n");
                }
                x.append("      <cpix:HLSSignalingData playlist=\"media\"/>\n")
                        .append("      <cpix:HLSSignalingData playlist=\"master\"/>\n")
                        .append("    </cpix:DRMSystem>\n");
            }
            x.append("  </cpix:DRMSystemList>\n");
        }
        return x.append("  <cpix:ContentKeyUsageRuleList>\n")
                .append("    <cpix:ContentKeyUsageRule kid=\"").append(kid).append("\" intendedTrackType=\"ALL\">\n")
                .append("      <cpix:VideoFilter/>\n      <cpix:AudioFilter/>\n")
                .append("    </cpix:ContentKeyUsageRule>\n")
                .append("  </cpix:ContentKeyUsageRuleList>\n")
                .append("</cpix:CPIX>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
