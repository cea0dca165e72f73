package io.estuary.server.streams;

import io.estuary.media.router.StreamKey;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of single-thread executors. Each stream is pinned to one by its key, so everything a stream does
 * (segmenting, playlist building, completing waiting requests) happens in order on one thread without locks,
 * and a busy stream only delays the streams that share its thread.
 */
public final class StreamExecutors implements AutoCloseable {
    private final ExecutorService[] executors;

    public StreamExecutors(int threads) {
        executors = new ExecutorService[threads];
        AtomicInteger counter = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            executors[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "stream-worker-" + counter.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        }
    }

    public ExecutorService forKey(StreamKey key) {
        return executors[Math.floorMod(key.hashCode(), executors.length)];
    }

    @Override
    public void close() {
        for (ExecutorService e : executors) {
            e.shutdown();
        }
        for (ExecutorService e : executors) {
            try {
                e.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
