package io.estuary.protocols.webrtc.sdp;

/** An accepted m-section and the one codec we receive in it. */
public record Negotiated(MediaSection section, OfferedCodec codec) {
}
