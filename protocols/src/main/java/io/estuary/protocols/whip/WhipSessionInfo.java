package io.estuary.protocols.whip;

/**
 * One WHIP session as operators see it (the API's stream view): how it connected, and what its network did to it.
 * Counts are this session's, as of the last feedback tick (every 10 ms).
 *
 * @param session          the session id (the last part of its Location)
 * @param iceRemote        the publisher's address on the selected ICE pair, or null before ICE connected
 * @param srtpProfile      the SRTP profile DTLS agreed, or null before
 * @param dtlsRole         our DTLS role: server (the publisher offered actpass) or client
 * @param iceMillis        answer to ICE connected, ms (-1 before)
 * @param dtlsMillis       ICE connected to the DTLS handshake done, ms (-1 before)
 * @param rtpPackets       RTP packets received
 * @param packetsLost      packets given up after waiting and NACKing
 * @param packetsRecovered packets that came after a NACK
 * @param nackedPackets    packets asked for again
 * @param keyframeRequests PLIs sent
 */
public record WhipSessionInfo(String session, String iceRemote, String srtpProfile, String dtlsRole, long iceMillis,
        long dtlsMillis, long rtpPackets, long packetsLost, long packetsRecovered, long nackedPackets,
        long keyframeRequests) {
}
