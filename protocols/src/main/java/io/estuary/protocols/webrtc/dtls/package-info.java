/**
 * DTLS-SRTP key exchange for WebRTC ingest (RFC 5763, RFC 5764): a DTLS 1.2 handshake over the ICE 5-tuple with
 * BouncyCastle's {@code bctls}, the peer's self-signed certificate authenticated by the SHA fingerprint the SDP
 * carried (RFC 8122), and SRTP master keys taken from the RFC 5705 exporter.
 *
 * <p>{@link io.estuary.protocols.webrtc.dtls.DtlsEndpoint#handshake DtlsEndpoint.handshake} blocks: it runs on the
 * WHIP session's own thread, never on a Netty event loop. Datagrams reach it through a
 * {@link io.estuary.protocols.webrtc.dtls.QueuedDatagramTransport} that the session's demultiplexer feeds.
 */
package io.estuary.protocols.webrtc.dtls;
