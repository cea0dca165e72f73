package io.estuary.loadtests.rtmp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Command-line load publisher for any RTMP server: {@code RtmpLoad HOST PORT STREAMS SECONDS [APP] [PREFIX] [FLV]}
 * publishes rtmp://HOST:PORT/APP/PREFIX-00 ... for SECONDS, printing a line of counters every 10 s.
 * Without FLV it replays the cached sample clip (load-tests/target/).
 */
public final class RtmpLoad {
    private RtmpLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: RtmpLoad HOST PORT STREAMS SECONDS [APP=live] [PREFIX=load] [FLV]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int streams = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String app = args.length > 4 ? args[4] : "live";
        String prefix = args.length > 5 ? args[5] : "load";
        Path file = args.length > 6 ? Path.of(args[6]) : SampleFlv.ensure(Path.of("load-tests", "target"));
        FlvFile flv = FlvFile.read(file);
        try (RtmpLoadPublisher load = new RtmpLoadPublisher(flv, 2, Duration.ofSeconds(10))) {
            List<Publication> all = startAll(load, host, port, app, prefix, streams, Duration.ofSeconds(2));
            CompletableFuture.allOf(all.stream().map(Publication::started).toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null).get(32, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.min(10_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                System.out.println(summary(all));
            }
        }
    }

    /**
     * Starts {@code PREFIX-00} .. in order (two digits, more when needed), their connects spread evenly over
     * {@code spread}; returns at once. Spread over a GOP, the streams cut their segments at different moments, as
     * independent encoders do; started together, all would package in the same instant every segment.
     */
    public static List<Publication> startAll(RtmpLoadPublisher load, String host, int port, String app,
            String prefix, int streams, Duration spread) {
        int digits = Math.max(2, String.valueOf(streams - 1).length());
        List<Publication> all = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            all.add(load.publish(host, port, app, String.format("%s-%0" + digits + "d", prefix, i),
                    spread.multipliedBy(i).dividedBy(streams)));
        }
        return all;
    }

    /** One line: how many streams publish, what they sent, the worst lateness and the stalls. */
    public static String summary(List<Publication> all) {
        long active = all.stream().filter(Publication::isActive).count();
        long bytes = all.stream().mapToLong(Publication::bytesSent).sum();
        long late = all.stream().mapToLong(Publication::maxLateMs).max().orElse(0);
        int stalls = all.stream().mapToInt(Publication::stalls).sum();
        String closed = all.stream().filter(p -> !p.isActive()).findFirst()
                .map(p -> "; first closed " + p.name() + ": " + p.closeReason()).orElse("");
        return String.format("publishing %d/%d streams, %.1f MB sent, max late %d ms, %d stalls%s", active,
                all.size(), bytes / 1e6, late, stalls, closed);
    }
}
