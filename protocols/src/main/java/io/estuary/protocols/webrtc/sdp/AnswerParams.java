package io.estuary.protocols.webrtc.sdp;

import java.util.List;

/**
 * Our side of the answer: the local ICE credentials, the fingerprint of our DTLS certificate, our ICE candidates as
 * full attribute values (e.g. {@code "candidate:1 1 udp 2130706431 127.0.0.1 8189 typ host"}) and the o= session id.
 */
public record AnswerParams(String iceUfrag, String icePwd, Fingerprint fingerprint, List<String> candidates,
        long sessionId) {

    public AnswerParams {
        candidates = List.copyOf(candidates);
    }
}
