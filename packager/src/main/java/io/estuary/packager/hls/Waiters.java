package io.estuary.packager.hls;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Requests waiting for the stream to advance, held without a thread: a bounded set of futures with the question
 * each asks of a new snapshot. A future that completes by any other way (the server's timeout, a cancel) leaves the
 * set at once.
 */
final class Waiters {

    /** A pending request: answers from a snapshot, or null while it must keep waiting. */
    record Waiter<T>(CompletableFuture<T> future, Function<StreamSnapshot, T> answer) {

        void wake(StreamSnapshot snapshot) {
            T r = answer.apply(snapshot);
            if (r != null) {
                future.complete(r);
            }
        }
    }

    private final Set<Waiter<?>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger size = new AtomicInteger();
    private final int limit;

    Waiters(int limit) {
        this.limit = limit;
    }

    /** False when the bound is reached: the request must be refused. */
    boolean add(Waiter<?> waiter) {
        if (size.incrementAndGet() > limit) {
            size.decrementAndGet();
            return false;
        }
        pending.add(waiter);
        waiter.future().whenComplete((r, e) -> {
            if (pending.remove(waiter)) {
                size.decrementAndGet();
            }
        });
        return true;
    }

    /** Completes every waiter the snapshot answers. */
    void wake(StreamSnapshot snapshot) {
        for (Waiter<?> w : pending) {
            w.wake(snapshot);
        }
    }

    void failAll(Throwable cause) {
        for (Waiter<?> w : pending) {
            w.future().completeExceptionally(cause);
        }
    }

    int size() {
        return size.get();
    }
}
