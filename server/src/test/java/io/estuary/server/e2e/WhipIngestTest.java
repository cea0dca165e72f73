package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.server.EstuaryServer;
import io.estuary.server.e2e.support.ChromiumPlayer;
import io.estuary.server.e2e.support.ChromiumWhipPublisher;
import io.estuary.server.e2e.support.FfmpegReader;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.Processes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WHIP ingest end to end: headless Chromium publishes its fake camera and microphone from a plain WHIP page on
 * another origin (H.264 + Opus over ICE, DTLS-SRTP, on loopback) and the stream plays as an RTMP stream does: its
 * LL-HLS playlist within 5 s, ffmpeg decodes H.264 and AAC from it, hls.js plays it, and DELETE ends it. A second
 * test loses packets on purpose and shows NACK and PLI keep it playable.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class WhipIngestTest {
    private static final String KEY = "s3cret-key";

    @Test
    void chromiumPublishesOverWhipAndTheStreamPlaysEverywhere() throws Exception {
        try (EstuaryServer server = start(Map.of())) {
            Http http = new Http();
            String base = "http://127.0.0.1:" + server.httpPort();
            String whip = base + "/live/cam/whip";

            // The stream key is required: without it (or with a wrong one) 401 and a Bearer challenge.
            Http.Response anonymous = http.send("POST", whip, "v=0\r\n", "Content-Type", "application/sdp");
            assertEquals(401, anonymous.status(), anonymous.text());
            assertTrue(anonymous.headers().first("WWW-Authenticate").startsWith("Bearer"));
            assertEquals(401, http.send("POST", whip, "v=0\r\n", "Content-Type", "application/sdp",
                    "Authorization", "Bearer wrong").status());

            try (ChromiumWhipPublisher publisher = ChromiumWhipPublisher.start(whip, KEY, log("whip-chromium"))) {
                JsonNode answered = publisher.awaitAnswered(Duration.ofSeconds(30));
                long posted = System.nanoTime();
                String location = answered.path("location").asText();
                assertTrue(location.matches(".*/live/cam/whip/[0-9a-f]{32}"), location);
                assertTrue(answered.path("answer").asText().contains("a=setup:passive"));

                // Within 5 s of the POST, the video playlist lists a part: the stream is playable.
                awaitPart(http, base + "/live/cam/video.m3u8", Duration.ofSeconds(5));
                long toPart = System.currentTimeMillis() - answered.path("postedAt").asLong();
                System.out.printf(Locale.ROOT, "WHIP_FIRST_PART post_to_part_ms=%d answer_to_part_ms=%d%n", toPart,
                        (System.nanoTime() - posted) / 1_000_000);
                assertTrue(toPart <= 5000, "first part " + toPart + " ms after the POST");
                assertEquals(200, http.get(base + "/live/cam/index.m3u8").status());
                awaitSegment(http, base + "/live/cam/video.m3u8", Duration.ofSeconds(15));
                awaitSegment(http, base + "/live/cam/audio.m3u8", Duration.ofSeconds(15));

                // ffmpeg reads the LL-HLS stream: H.264 video and AAC audio (the Opus transcoded), 10 s decoded.
                List<FfmpegReader.ProbedStream> probed = FfmpegReader.probe(base + "/live/cam/index.m3u8",
                        log("whip-ffprobe"), Duration.ofSeconds(30));
                assertTrue(probed.stream().anyMatch(p -> p.codecName().equals("h264")), probed.toString());
                assertTrue(probed.stream().anyMatch(p -> p.codecName().equals("aac")), probed.toString());
                FfmpegReader.DecodeResult decoded = FfmpegReader.decode(base + "/live/cam/index.m3u8", 10,
                        log("whip-ffmpeg-decode"), Duration.ofSeconds(40));
                System.out.println("WHIP_DECODE " + decoded);
                assertEquals(0, decoded.exitCode(), decoded.toString());
                assertTrue(decoded.videoFrames() >= 200, "video frames decoded: " + decoded);
                assertTrue(decoded.audioSeconds(48_000) >= 9, "audio decoded: " + decoded);

                // Stray datagrams on the media port are dropped and counted; the session carries on.
                sendGarbage(server.whipUdpPort());

                // hls.js plays it in a second page.
                try (ChromiumPlayer player = ChromiumPlayer.open(base + "/live/cam/index.m3u8",
                        log("whip-hlsjs"))) {
                    Playback.play(player, "hls.js", Duration.ofSeconds(8));
                }
                String metrics = http.get(base + "/metrics").text();
                assertTrue(value(metrics, "estuary_whip_sessions") == 1, metrics);
                assertTrue(value(metrics, "estuary_whip_dropped_datagrams_total{reason=\"no_session\"}") >= 1,
                        "a binding request for no session is counted");

                // The API shows the WHIP session: how it connected and what it received.
                JsonNode view = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(http.get(base + "/api/v1/streams/live/cam").body());
                assertEquals("whip", view.at("/publisher/protocol").asText(), view.toString());
                JsonNode webrtc = view.at("/publisher/webrtc");
                assertEquals(location.substring(location.lastIndexOf('/') + 1), webrtc.path("session").asText());
                assertEquals("AEAD_AES_128_GCM", webrtc.path("srtpProfile").asText(), webrtc.toString());
                assertEquals("server", webrtc.path("dtlsRole").asText());
                assertTrue(webrtc.path("rtpPackets").asLong() > 1000, webrtc.toString());
                assertTrue(view.at("/publish/whip").asText().endsWith("/live/cam/whip"), view.toString());

                // DELETE on the Location ends the session and the stream.
                Http.Response deleted = http.send("DELETE", location, null, "Authorization", "Bearer " + KEY);
                assertEquals(200, deleted.status(), deleted.text());
                awaitMetric(http, base + "/metrics", "estuary_whip_sessions", 0, Duration.ofSeconds(10));
                assertEquals(404, http.send("DELETE", location, null).status());
            }
        }
    }

    @Test
    void nackAndPliKeepALossyStreamPlayable() throws Exception {
        // Every 20th RTP packet is dropped on arrival: video gaps are NACKed and retransmitted by Chromium.
        try (EstuaryServer server = start(Map.of("estuary.whip.simulated-loss", 0.05))) {
            Http http = new Http();
            String base = "http://127.0.0.1:" + server.httpPort();
            // The page closes its RTCPeerConnection 25 s after the answer, without a DELETE.
            try (ChromiumWhipPublisher publisher = ChromiumWhipPublisher.start(base + "/live/lossy/whip", KEY,
                    Map.of("closeAfter", "25"), log("whip-lossy-chromium"))) {
                publisher.awaitAnswered(Duration.ofSeconds(30));
                awaitSegment(http, base + "/live/lossy/video.m3u8", Duration.ofSeconds(20));
                awaitSegment(http, base + "/live/lossy/audio.m3u8", Duration.ofSeconds(10));
                FfmpegReader.DecodeResult decoded = FfmpegReader.decode(base + "/live/lossy/index.m3u8", 8,
                        log("whip-lossy-decode"), Duration.ofSeconds(40));
                System.out.println("WHIP_LOSSY_DECODE " + decoded);
                assertEquals(0, decoded.exitCode(), decoded.toString());
                // Chromium lowers its frame rate when receiver reports show loss, so the count is not 8 s at 20 fps;
                // what matters is that the pictures that came decode without a single error.
                assertTrue(decoded.errorLines().isEmpty(), "decode errors: " + decoded);
                assertTrue(decoded.videoFrames() >= 80, "video frames decoded: " + decoded);

                String metrics = http.get(base + "/metrics").text();
                double dropped = value(metrics, "estuary_whip_dropped_datagrams_total{reason=\"simulated_loss\"}");
                double nacked = value(metrics, "estuary_whip_nack_requests_total");
                double recovered = value(metrics, "estuary_whip_packets_recovered_total");
                double plis = value(metrics, "estuary_whip_keyframe_requests_total");
                System.out.printf(Locale.ROOT, "WHIP_LOSS dropped=%.0f nacked=%.0f recovered=%.0f lost=%.0f plis=%.0f"
                        + " sender=%s%n", dropped, nacked, recovered,
                        value(metrics, "estuary_whip_packets_lost_total"), plis, publisher.latestStats());
                assertTrue(dropped > 20, "packets were dropped: " + dropped);
                assertTrue(nacked > 0 && recovered > 0, "gaps were NACKed and repaired: " + metrics);
                assertTrue(plis >= 1, "a keyframe was asked for");
                // The browser's own statistics agree: it received our NACKs and PLIs, and retransmitted.
                publisher.await(s -> s.path("event").asText().equals("stats") && s.path("nackCount").asLong() > 0
                        && s.path("retransmittedPacketsSent").asLong() > 0 && s.path("pliCount").asLong() >= 1,
                        Duration.ofSeconds(10), "NACKs and a PLI received by the sender, and retransmissions");

                // A closed peer connection sends DTLS close_notify: the session ends then, not 30 s later when
                // consent would expire.
                publisher.await(r -> r.path("event").asText().equals("closed"), Duration.ofSeconds(30),
                        "the page closing its connection");
                awaitMetric(http, base + "/metrics", "estuary_whip_sessions", 0, Duration.ofSeconds(5));
            }
        }
    }

    /**
     * A browser that halves its resolution mid-stream (as it does when its CPU or network cannot keep up) keeps the
     * transcoded renditions: the multivariant playlist lists the same variants, the source variant now at the new
     * size, and the 240p rendition goes on at 426x240 (upscaled from the smaller source) without a break.
     */
    @Test
    void aBrowserHalvingItsResolutionKeepsTheTranscodedRenditions() throws Exception {
        try (EstuaryServer server = start(Map.of("estuary.transcoder.enabled", true, "estuary.transcoder.ladder",
                List.of(Map.of("name", "source", "passthrough", true),
                        Map.of("name", "240p", "height", 240, "bitrate", "400k"))))) {
            Http http = new Http();
            String base = "http://127.0.0.1:" + server.httpPort();
            try (ChromiumWhipPublisher publisher = ChromiumWhipPublisher.start(base + "/live/halving/whip", KEY,
                    Map.of("halveAfter", "8"), log("whip-halving-chromium"))) {
                publisher.awaitAnswered(Duration.ofSeconds(30));
                awaitSegment(http, base + "/live/halving/240p.m3u8", Duration.ofSeconds(20));
                String before = http.get(base + "/live/halving/index.m3u8").text();
                assertTrue(before.contains("RESOLUTION=640x360") && before.contains("RESOLUTION=426x240"), before);

                publisher.await(r -> r.path("event").asText().equals("stats") && r.path("width").asInt() == 320,
                        Duration.ofSeconds(30), "Chromium encoding at 320x180");
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                String after = before;
                while (!after.contains("RESOLUTION=320x180") && System.nanoTime() < deadline) {
                    ChromiumPlayer.sleep(200);
                    after = http.get(base + "/live/halving/index.m3u8").text();
                }
                System.out.println("WHIP_HALVED multivariant before:\n" + before + "after:\n" + after);
                assertTrue(after.contains("RESOLUTION=320x180"), "the source variant at the new size: " + after);
                assertEquals(variantUris(before), variantUris(after), "the same variants");
                // 240p goes on at its own size: segments made after the change still decode as 426x240.
                int segmentsAtChange = MediaPlaylist.parse(http.get(base + "/live/halving/240p.m3u8").text())
                        .segments().size();
                awaitSegmentCount(http, base + "/live/halving/240p.m3u8", segmentsAtChange + 2,
                        Duration.ofSeconds(20));
                List<FfmpegReader.ProbedStream> probed = FfmpegReader.probe(base + "/live/halving/240p.m3u8",
                        log("whip-halving-probe"), Duration.ofSeconds(20));
                assertEquals(426, probed.get(0).width(), probed.toString());
                assertEquals(240, probed.get(0).height(), probed.toString());
            }
        }
    }

    private static List<String> variantUris(String multivariant) {
        return multivariant.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static EstuaryServer start(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(overrides);
        settings.put("estuary.http.port", 0);
        settings.put("estuary.http.host", "127.0.0.1");
        settings.put("estuary.rtmp.port", 0);
        settings.put("estuary.whip.udp-port", 0);
        settings.put("estuary.whip.host-addresses", List.of("127.0.0.1"));
        settings.putIfAbsent("estuary.transcoder.enabled", false);
        Config config = ConfigFactory.parseMap(settings)
                .withFallback(ConfigFactory.parseString("estuary.publish.keys { \"live/cam\" = \"" + KEY + "\", "
                        + "\"live/lossy\" = \"" + KEY + "\", \"live/halving\" = \"" + KEY + "\" }"))
                .withFallback(ConfigFactory.load());
        return EstuaryServer.start(config);
    }

    /**
     * Junk to the media port: bytes that are no protocol, an RTP-looking and a DTLS-looking datagram, and a STUN
     * binding request for a session that does not exist (its ufrag is nobody's). ice4j drops the first three
     * before they reach a session (from an address no session knows, they cannot be told apart from noise); the
     * last is counted.
     */
    private static void sendGarbage(int port) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            List<byte[]> junk = List.of("hello".getBytes(StandardCharsets.US_ASCII),
                    "\u0080garbage-rtp".getBytes(StandardCharsets.ISO_8859_1),
                    "\u0016not-dtls".getBytes(StandardCharsets.ISO_8859_1), stunBindingRequest("nosuch:peer"));
            for (byte[] b : junk) {
                socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    /** A STUN Binding Request (RFC 8489) with only a USERNAME attribute. */
    private static byte[] stunBindingRequest(String username) {
        byte[] name = username.getBytes(StandardCharsets.US_ASCII);
        int padded = (name.length + 3) / 4 * 4;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20 + 4 + padded);
        b.putShort((short) 0x0001).putShort((short) (4 + padded)).putInt(0x2112A442);
        b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}); // transaction id
        b.putShort((short) 0x0006).putShort((short) name.length).put(name);
        return b.array();
    }

    /** Waits for a media playlist to list a part (polled every 20 ms, so the time it appeared is close). */
    private static void awaitPart(Http http, String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            Http.Response r = http.get(url);
            last = r.status();
            if (r.status() == 200 && r.text().contains("#EXT-X-PART:")) {
                return;
            }
            ChromiumPlayer.sleep(20);
        }
        throw new AssertionError(url + " listed no part within " + timeout + " (last status " + last + ")");
    }

    /** Waits for a media playlist to list a complete segment. */
    private static void awaitSegment(Http http, String url, Duration timeout) {
        awaitSegmentCount(http, url, 1, timeout);
    }

    /** Waits for a media playlist to list at least {@code count} complete segments. */
    private static void awaitSegmentCount(Http http, String url, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Http.Response r = http.get(url);
            last = r.status() + " " + r.text();
            if (r.status() == 200 && MediaPlaylist.parse(r.text()).segments().size() >= count) {
                return;
            }
            ChromiumPlayer.sleep(200);
        }
        throw new AssertionError(url + " listed fewer than " + count + " segments within " + timeout + ": " + last);
    }

    private static void awaitMetric(Http http, String url, String name, double expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = value(http.get(url).text(), name);
            if (last == expected) {
                return;
            }
            ChromiumPlayer.sleep(100);
        }
        throw new AssertionError(name + " was " + last + ", not " + expected + ", within " + timeout);
    }

    /** A sample's value from the Prometheus text (name with its labels, exactly as written); NaN when absent. */
    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static java.nio.file.Path log(String name) {
        return Processes.targetDir("e2e-logs").resolve(name + ".log");
    }
}
