/**
 * WHIP ingest (RFC 9725): the resource that answers offers ({@link io.estuary.protocols.whip.WhipService}, used by
 * the server's HTTP routes), and one session per publisher that ties the WebRTC layers together: ICE
 * ({@code webrtc.ice}), DTLS ({@code webrtc.dtls}), SRTP ({@code webrtc.srtp}) and RTP ({@code webrtc.rtp}) into
 * frames published in the stream router, the same frames RTMP ingest publishes.
 */
package io.estuary.protocols.whip;
