package io.estuary.server.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.server.e2e.support.ChromiumPlayer;
import io.estuary.server.e2e.support.PlayerReport;
import java.time.Duration;
import java.util.List;

/** The playback check the hls.js, dash.js and Shaka tests share: start, then play for a while without trouble. */
final class Playback {

    /**
     * What a {@link #play} saw: the report that showed playback started, the one that closed the window, when the
     * window opened (System.nanoTime, to read other players' reports over the same time) and its reports.
     */
    record Window(PlayerReport started, PlayerReport end, long fromNanos, List<PlayerReport> reports) {
    }

    private Playback() {
    }

    /**
     * Waits up to 30 s for {@code player} to play, then watches it for {@code duration}: no fatal error in that
     * window, currentTime never standing still for 2 s, and advancing by at least {@code duration} minus 2 s.
     * {@code label} names the player in messages.
     */
    static Window play(ChromiumPlayer player, String label, Duration duration) {
        PlayerReport started = player.await(r -> r.fatal() || (r.playing() && r.currentTime() > 0.5),
                Duration.ofSeconds(30), label + " starting");
        assertFalse(started.fatal(), label + ": " + started.raw());
        long from = System.nanoTime();
        PlayerReport end = player.await(r -> r.fatal() || r.receivedNanos() - from >= duration.toNanos(),
                duration.plusSeconds(10), duration.toSeconds() + " s of " + label + " reports");
        List<PlayerReport> window = player.reportsSince(from);
        assertTrue(window.stream().noneMatch(PlayerReport::fatal), label + ": " + end.raw());
        assertAdvancing(window);
        double played = end.currentTime() - started.currentTime();
        assertTrue(played >= duration.toSeconds() - 2.0,
                label + " advanced only " + played + " s in " + duration + "; last " + end.raw());
        return new Window(started, end, from, window);
    }

    /** currentTime never stands still for more than 2 s (four reports). */
    static void assertAdvancing(List<PlayerReport> reports) {
        for (int i = 4; i < reports.size(); i++) {
            PlayerReport a = reports.get(i - 4);
            PlayerReport b = reports.get(i);
            assertTrue(b.currentTime() > a.currentTime(), "currentTime stalled at " + a.currentTime() + ": " + b.raw());
        }
    }
}
