/**
 * RTP and RTCP for WebRTC ingest: packet parsing (RFC 3550, RFC 5761 demultiplexing), the per-SSRC receive
 * stream (reordering, loss detection, NACK bookkeeping, receiver-report statistics), the RTCP feedback we send
 * (receiver reports, generic NACK, PLI, FIR), H.264 depacketization (RFC 6184 packetization-mode 1) and its
 * assembly into samples, Opus packet durations, and the mapping of every track's RTP time onto one timeline.
 *
 * <p>Nothing here touches sockets or threads: a WHIP session calls these classes from its own thread and passes
 * the time ({@code nowNanos}) explicitly, which is what makes the loss, NACK and lip-sync rules testable.
 */
package io.estuary.protocols.webrtc.rtp;
