package io.estuary.protocols.webrtc.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a receive-only WHIP server takes from an offer: the first receivable video m-section with its first H.264
 * packetization-mode=1 codec, and the first receivable audio m-section with opus/48000/2. Every other m-section is
 * rejected in the answer. All accepted sections share one transport (BUNDLE, RFC 8843), described by the first
 * accepted one.
 */
public record Negotiation(SdpOffer offer, Optional<Negotiated> video, Optional<Negotiated> audio) {
    /** Payload formats that only support a media codec; naming them in a 406 would not help the publisher. */
    private static final Set<String> HELPER_FORMATS = Set.of("rtx", "red", "ulpfec", "flexfec-03", "cn",
            "telephone-event");

    /**
     * Chooses what to receive.
     *
     * @throws SdpException 406 when nothing is receivable (the reason lists what was offered); 400 when an accepted
     *                      section lacks what we need to run it (mid, rtcp-mux, ICE credentials, fingerprint, setup)
     */
    public static Negotiation of(SdpOffer offer) throws SdpException {
        Negotiated video = null;
        Negotiated audio = null;
        List<String> refusals = new ArrayList<>();
        for (MediaSection section : offer.media()) {
            boolean isVideo = section.kind().equals("video");
            if ((isVideo && video != null) || (section.kind().equals("audio") && audio != null)) {
                continue; // one track per kind: a second one is rejected, which is no reason to refuse the offer
            }
            String refusal = transportRefusal(offer, section, video != null || audio != null);
            OfferedCodec codec = refusal == null ? receivableCodec(section) : null;
            if (codec == null) {
                refusals.add(refusal != null ? refusal : codecRefusal(section));
                continue;
            }
            Negotiated accepted = new Negotiated(section, codec);
            if (isVideo) {
                video = accepted;
            } else {
                audio = accepted;
            }
        }
        if (video == null && audio == null) {
            String prefix = refusals.stream().allMatch(r -> r.contains(" offered ")) ? "no supported codec: "
                    : "nothing we can receive: ";
            throw new SdpException(prefix + (refusals.isEmpty() ? "the offer has no m-sections"
                    : String.join("; ", refusals)), true);
        }
        Negotiation negotiation = new Negotiation(offer, Optional.ofNullable(video), Optional.ofNullable(audio));
        negotiation.checkTransport();
        return negotiation;
    }

    /** Why a section cannot be received regardless of its codecs, or null when it could be. */
    private static String transportRefusal(SdpOffer offer, MediaSection section, boolean haveTransport) {
        String name = section.kind() + (section.mid() == null ? "" : " (mid " + section.mid() + ")");
        if (!section.kind().equals("video") && !section.kind().equals("audio")) {
            return name + " is not audio or video";
        }
        if (!section.protocol().equals("UDP/TLS/RTP/SAVPF") && !section.protocol().equals("UDP/TLS/RTP/SAVP")) {
            return name + " uses " + section.protocol() + ", not DTLS-SRTP (UDP/TLS/RTP/SAVPF)";
        }
        if (!section.direction().equals("sendonly") && !section.direction().equals("sendrecv")) {
            return name + " is " + section.direction() + ": the publisher sends nothing in it";
        }
        boolean bundled = section.mid() != null && offer.bundleMids().contains(section.mid());
        if (section.port() == 0 && !(section.bundleOnly() && bundled)) {
            return name + " is disabled (port 0)";
        }
        // We run a single transport: with a BUNDLE group, media outside it would need another one; without one,
        // only the first accepted section can have it (an answer may not add a group the offer lacks, RFC 8843 §7.3).
        if (offer.bundleMids().isEmpty() ? haveTransport : !bundled) {
            return name + " is not in the BUNDLE group";
        }
        return null;
    }

    /** The codec we would receive in a section: H.264 packetization-mode 1 for video, opus/48000/2 for audio. */
    private static OfferedCodec receivableCodec(MediaSection section) {
        boolean video = section.kind().equals("video");
        for (OfferedCodec codec : section.codecs()) {
            boolean ok = video
                    ? codec.name().equalsIgnoreCase("H264") && codec.clockRate() == 90000
                            && "1".equals(codec.fmtpValue("packetization-mode"))
                    : codec.name().equalsIgnoreCase("opus") && codec.clockRate() == 48000 && codec.channels() == 2;
            if (ok) {
                return codec;
            }
        }
        return null;
    }

    /** "video offered VP8, VP9, H264 (packetization-mode 0)": the media codecs, without rtx/red/fec/CN/DTMF. */
    private static String codecRefusal(MediaSection section) {
        Set<String> names = new LinkedHashSet<>();
        for (OfferedCodec codec : section.codecs()) {
            String lower = codec.name().toLowerCase(Locale.ROOT);
            if (HELPER_FORMATS.contains(lower)) {
                continue;
            }
            String mode = codec.fmtpValue("packetization-mode");
            names.add(lower.equals("h264") ? codec.name() + " (packetization-mode " + (mode == null ? "0" : mode) + ")"
                    : lower.equals("opus") ? codec.name() + "/" + codec.clockRate() + "/" + codec.channels()
                    : codec.name());
        }
        return section.kind() + " offered " + (names.isEmpty() ? "no codecs" : String.join(", ", names));
    }

    /**
     * Every accepted section must be muxed (RFC 9725 §4.2 requires rtcp-mux) and carry a mid to bundle by; the
     * transport's ICE credentials, fingerprint and setup must be known. A bundle-only section (RFC 8843 §6) may leave
     * the transport attributes to the section that carries them.
     */
    private void checkTransport() throws SdpException {
        for (MediaSection section : accepted()) {
            String name = section.kind() + " m-section" + (section.mid() == null ? "" : " (mid " + section.mid() + ")");
            if (section.mid() == null) {
                throw new SdpException(name + " has no a=mid, needed for BUNDLE", false);
            }
            if (!section.rtcpMux()) {
                throw new SdpException(name + " has no a=rtcp-mux, which WHIP requires", false);
            }
            if (section.port() == 0 && section.bundleOnly() && section != transport()) {
                continue;
            }
            String missing = section.iceUfrag() == null ? "a=ice-ufrag"
                    : section.icePwd() == null ? "a=ice-pwd"
                    : section.fingerprint() == null ? "a=fingerprint"
                    : section.setup() == null ? "a=setup" : null;
            if (missing != null) {
                throw new SdpException(name + " has no " + missing + " (at media or session level)", false);
            }
        }
    }

    /** The accepted sections in offer order. */
    List<MediaSection> accepted() {
        List<MediaSection> accepted = new ArrayList<>();
        for (MediaSection section : offer.media()) {
            if (isAccepted(section)) {
                accepted.add(section);
            }
        }
        return accepted;
    }

    /** Whether we receive this section (mids are unique, so equality identifies an accepted section). */
    boolean isAccepted(MediaSection section) {
        return video.map(v -> v.section().equals(section)).orElse(false)
                || audio.map(a -> a.section().equals(section)).orElse(false);
    }

    /** The codec we receive in a section, or null when it is rejected. */
    OfferedCodec codecFor(MediaSection section) {
        if (video.isPresent() && video.get().section().equals(section)) {
            return video.get().codec();
        }
        if (audio.isPresent() && audio.get().section().equals(section)) {
            return audio.get().codec();
        }
        return null;
    }

    /** The section whose ICE and DTLS attributes describe the bundle transport: the first accepted one. */
    private MediaSection transport() {
        return accepted().get(0);
    }

    public String remoteIceUfrag() {
        return transport().iceUfrag();
    }

    public String remoteIcePwd() {
        return transport().icePwd();
    }

    public Fingerprint remoteFingerprint() {
        return transport().fingerprint();
    }

    public Setup remoteSetup() {
        return transport().setup();
    }

    /**
     * Our DTLS role (RFC 5763 §5, RFC 8122 §5): the opposite of the publisher's, and passive when it lets us choose.
     * JSEP (RFC 8829 §5.3.1) recommends active but allows either; as the DTLS server we only ever answer handshakes
     * the publisher, the controlling ICE agent that learns of connectivity first, starts.
     */
    public Setup localSetup() {
        return remoteSetup() == Setup.PASSIVE ? Setup.ACTIVE : Setup.PASSIVE;
    }

    /** The publisher's candidates of the accepted sections, duplicates (the same transport listed twice) removed. */
    public List<String> remoteCandidates() {
        Set<String> candidates = new LinkedHashSet<>();
        for (MediaSection section : accepted()) {
            candidates.addAll(section.candidates());
        }
        return List.copyOf(candidates);
    }
}
