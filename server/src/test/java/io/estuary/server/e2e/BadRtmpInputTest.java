package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.FfmpegPublisher;
import io.estuary.server.e2e.support.Http;
import io.estuary.server.e2e.support.LeakWatch;
import io.estuary.server.e2e.support.LiveFixture;
import io.estuary.server.e2e.support.MediaPlaylist;
import io.estuary.server.e2e.support.RtmpRawClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Must show 6: hostile RTMP clients on raw sockets, while ffmpeg publishes and an LL-HLS client plays (blocking
 * reloads and part fetches). Each hostile connection is closed by the server, the stream keeps advancing, and
 * LeakWatch sees no leaked buffer.
 */
@Tag("e2e")
@ExtendWith(LeakWatch.class)
class BadRtmpInputTest {

    static final int MAX_MESSAGE_SIZE = 1024 * 1024;

    enum Attack {
        GARBAGE_AFTER_HANDSHAKE(RtmpRawClient.garbage(8192)),
        SET_CHUNK_SIZE_ZERO(RtmpRawClient.setChunkSize(0)),
        SET_CHUNK_SIZE_HIGH_BIT(RtmpRawClient.setChunkSize(0x80000000L)),
        AMF_STRING_LONGER_THAN_MESSAGE(RtmpRawClient.connectWithOverlongString(0x7FFF, 24)),
        MESSAGE_ABOVE_MAX_SIZE(RtmpRawClient.oversizedMessage(0xFFFFFF));

        final byte[] bytes;

        Attack(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    static LiveFixture live;
    static final AtomicBoolean playing = new AtomicBoolean(true);
    static final AtomicLong partsFetched = new AtomicLong();
    static Thread player;

    @BeforeAll
    static void start() {
        live = LiveFixture.start("hostile", FfmpegPublisher.Profile.ZEROLATENCY,
                Map.of("estuary.rtmp.max-message-size", "1MiB"));
        live.awaitSegments(1, Duration.ofSeconds(20));
        player = new Thread(BadRtmpInputTest::play, "ll-hls-player");
        player.setDaemon(true);
        player.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        playing.set(false);
        if (player != null) {
            player.join(5000);
        }
        if (live != null) {
            live.close();
        }
        System.out.println("HOSTILE player fetched " + partsFetched.get() + " parts");
    }

    /** A minimal LL-HLS client: block for the hinted part, fetch it, repeat. */
    static void play() {
        Http http = new Http(Duration.ofSeconds(10));
        URI video = live.media("video");
        while (playing.get()) {
            try {
                MediaPlaylist p = MediaPlaylist.parse(http.get(video).text());
                long[] next = MediaPlaylist.msnAndPart(p.preloadHintUri());
                Http.Response r = http.get(URI.create(video + "?_HLS_msn=" + next[0] + "&_HLS_part=" + next[1]));
                if (r.status() == 200 && http.get(video.resolve(p.preloadHintUri())).status() == 200) {
                    partsFetched.incrementAndGet();
                }
            } catch (RuntimeException | AssertionError e) {
                sleep(200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void hostileConnectionIsClosedAndTheStreamKeepsGoing(Attack attack) throws Exception {
        MediaPlaylist before = live.playlist("video");
        long partsBefore = partsFetched.get();
        try (RtmpRawClient client = RtmpRawClient.connect(live.server().rtmpPort())) {
            client.handshake();
            client.sendQuietly(attack.bytes);
            assertTrue(client.awaitClosedByServer(Duration.ofSeconds(5)),
                    attack + ": the server kept the connection open for 5 s");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        MediaPlaylist after = live.playlist("video");
        while (!isAhead(after, before) && System.nanoTime() < deadline) {
            sleep(200);
            after = live.playlist("video");
        }
        assertNotNull(after);
        assertTrue(isAhead(after, before), attack + ": the stream stopped at " + before.lastMsn() + "." + before.lastPart());
        assertTrue(live.publisher().isAlive(), attack + ": the publisher died, see " + live.publisher().log());
        System.out.println("HOSTILE " + attack + " closed; stream " + before.lastMsn() + "." + before.lastPart() + " -> "
                + after.lastMsn() + "." + after.lastPart() + "; player parts " + partsBefore + " -> " + partsFetched.get());
    }

    static boolean isAhead(MediaPlaylist now, MediaPlaylist before) {
        return now.lastMsn() > before.lastMsn() || (now.lastMsn() == before.lastMsn() && now.lastPart() > before.lastPart());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
