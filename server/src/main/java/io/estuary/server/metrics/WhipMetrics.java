package io.estuary.server.metrics;

import io.estuary.protocols.whip.WhipService;
import io.estuary.protocols.whip.WhipStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.ToLongFunction;

/**
 * WHIP ingest series, read at scrape time from the service's counters (sessions add to them as packets arrive,
 * so loss and its repair show while a stream runs). Server-wide totals: a per-stream label would multiply the
 * series by every publisher, and the per-stream ingest figures are the stream series' already.
 */
final class WhipMetrics {

    WhipMetrics(PrometheusRegistry prometheus, WhipService whip) {
        WhipStats s = whip.stats();
        GaugeWithCallback.builder().name("estuary_whip_sessions").help("WHIP sessions now (connecting or receiving)")
                .callback(cb -> cb.call(whip.activeSessions())).register(prometheus);
        counter(prometheus, "estuary_whip_sessions_started_total",
                "WHIP sessions that completed ICE and DTLS and started receiving", s, WhipStats::sessionsStarted);
        counter(prometheus, "estuary_whip_sessions_failed_total",
                "WHIP sessions that ended before media flowed (ICE or DTLS failed or timed out)", s,
                WhipStats::sessionsFailed);
        counter(prometheus, "estuary_whip_rtp_packets_total", "RTP packets received (after SRTP)", s,
                WhipStats::rtpPackets);
        counter(prometheus, "estuary_whip_rtp_bytes_total", "RTP bytes received (after SRTP)", s,
                WhipStats::rtpBytes);
        counter(prometheus, "estuary_whip_packets_lost_total",
                "RTP packets given up after waiting and asking for them (NACK)", s, WhipStats::packetsLost);
        counter(prometheus, "estuary_whip_packets_recovered_total",
                "RTP packets that arrived after a NACK asked for them again", s, WhipStats::packetsRecovered);
        counter(prometheus, "estuary_whip_nack_requests_total",
                "Packets asked for again in RTCP NACKs (a packet asked twice counts twice)", s,
                WhipStats::nackedPackets);
        counter(prometheus, "estuary_whip_keyframe_requests_total", "Keyframes asked for with RTCP PLI", s,
                WhipStats::keyframeRequests);
        CounterWithCallback.builder().name("estuary_whip_dropped_datagrams_total")
                .help("Datagrams on the WHIP media port that were dropped, by reason").labelNames("reason")
                .callback(cb -> {
                    cb.call(s.malformed(), "malformed");
                    cb.call(s.unknownPayloadType(), "unknown_payload_type");
                    cb.call(s.srtpFailures(), "srtp_auth_or_replay");
                    cb.call(s.stray(), "not_media");
                    cb.call(whip.strayDatagrams(), "no_session");
                    cb.call(s.simulatedDrops(), "simulated_loss");
                }).register(prometheus);
    }

    private static void counter(PrometheusRegistry prometheus, String name, String help, WhipStats stats,
            ToLongFunction<WhipStats> value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.applyAsLong(stats))).register(prometheus);
    }
}
