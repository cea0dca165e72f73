/**
 * A WHIP (RFC 9725) load publisher and what it needs: the clip it replays ({@link
 * io.estuary.loadtests.whip.WhipClip}), RFC 6184 packetization, the offer and answer, SRTP sending paced in real
 * time with sender reports, and NACK handling. {@link io.estuary.loadtests.whip.WhipLoadPublisher} is the entry
 * point; {@link io.estuary.loadtests.whip.WhipBenchmark} measures WHIP ingest with it.
 */
package io.estuary.loadtests.whip;
