/**
 * SDP for WHIP ingest (RFC 9725): {@link io.estuary.protocols.webrtc.sdp.SdpOffer#parse} reads a publisher's
 * offer with every length and count bounded, {@link io.estuary.protocols.webrtc.sdp.Negotiation#of} picks what a
 * receive-only server can take (H.264 packetization-mode 1, Opus 48000/2, one BUNDLE transport with rtcp-mux) and
 * {@link io.estuary.protocols.webrtc.sdp.SdpAnswer#write} writes the answer by the JSEP rules (RFC 8829 §5.3).
 * Only the parts of SDP a WHIP server acts on are modelled; everything else in the offer is skipped.
 */
package io.estuary.protocols.webrtc.sdp;
