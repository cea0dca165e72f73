/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) for WebRTC ingest, on jitsi-srtp's crypto contexts: we decrypt and
 * authenticate the publisher's media and RTCP, and protect the RTCP we send back (receiver reports, NACK, PLI).
 * The keys come from the DTLS handshake ({@link io.estuary.protocols.webrtc.dtls}).
 */
package io.estuary.protocols.webrtc.srtp;
