package io.estuary.protocols.webrtc.sdp;

import java.util.List;

/**
 * A parsed SDP offer: its m-sections in order and the mids of its first BUNDLE group (RFC 8843), empty when it has
 * none.
 */
public record SdpOffer(List<MediaSection> media, List<String> bundleMids) {
    /** Most characters an offer may have; a browser's offer with every codec is about 6 KB. */
    public static final int MAX_LENGTH = 64 * 1024;
    public static final int MAX_LINES = 4096;
    public static final int MAX_MEDIA_SECTIONS = 16;
    public static final int MAX_FORMATS_PER_SECTION = 64;

    public SdpOffer {
        media = List.copyOf(media);
        bundleMids = List.copyOf(bundleMids);
    }

    /**
     * Parses an offer. Lines may end with CRLF or LF. Limits: {@value #MAX_LENGTH} characters, {@value #MAX_LINES}
     * lines, {@value #MAX_MEDIA_SECTIONS} m-sections, {@value #MAX_FORMATS_PER_SECTION} formats per m-line.
     *
     * @throws SdpException (400) when the text is not SDP, is malformed, or is over a limit
     */
    public static SdpOffer parse(String sdp) throws SdpException {
        return new SdpOfferParser().parse(sdp);
    }
}
