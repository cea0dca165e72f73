/**
 * ICE (RFC 8445) for WHIP ingest, on top of Jitsi ice4j.
 *
 * <p>One {@link io.estuary.protocols.webrtc.ice.IceService} per server binds one UDP port (8189 by default) on each
 * host address; every WHIP session is muxed on it, told apart by the local ufrag of the STUN binding requests that
 * open it (RFC 8445 section 7.2 puts the receiver's ufrag first in USERNAME). Each
 * {@link io.estuary.protocols.webrtc.ice.IceSession} is a controlled ice4j agent (the WHIP client offers and
 * controls); once a pair is selected, its {@link io.estuary.protocols.webrtc.ice.IceConnection} carries the
 * DTLS/SRTP/SRTCP datagrams both ways and watches consent freshness (RFC 7675).
 */
package io.estuary.protocols.webrtc.ice;
