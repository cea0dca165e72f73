package io.estuary.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** Waiting for the packager without holding a thread, and answering on the connection's event loop. */
final class LoopFutures {

    private LoopFutures() {
    }

    /**
     * Runs {@code then} on the connection's event loop once {@code answer} completes, or fails with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}. The waiting future is the packager's:
     * when the client goes away it is cancelled, so the packager forgets it; the close listener is removed once
     * answered, so a long keep-alive connection does not collect listeners.
     */
    static <T> void onLoop(ChannelHandlerContext ctx, CompletableFuture<T> answer, Duration timeout,
            BiConsumer<T, Throwable> then) {
        if (answer.isDone() && ctx.executor().inEventLoop()) {
            answer.whenComplete(then);
            return;
        }
        CompletableFuture<T> bounded = answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ChannelFutureListener onClose = f -> answer.cancel(false);
        ctx.channel().closeFuture().addListener(onClose);
        bounded.whenComplete((value, error) -> {
            ctx.channel().closeFuture().removeListener(onClose);
            if (ctx.executor().inEventLoop()) {
                then.accept(value, error);
            } else {
                ctx.executor().execute(() -> then.accept(value, error));
            }
        });
    }

    /**
     * {@link #onLoop}, counting the request among those waiting for the packager (the metrics' blocking requests)
     * while it has to wait.
     */
    static <T> void onLoopCounted(ChannelHandlerContext ctx, CompletableFuture<T> answer, Duration timeout,
            HttpObserver observer, BiConsumer<T, Throwable> then) {
        boolean waits = !answer.isDone();
        if (waits) {
            observer.waitStarted();
        }
        onLoop(ctx, answer, timeout, (value, error) -> {
            if (waits) {
                observer.waitEnded();
            }
            then.accept(value, error);
        });
    }

    /** The cause of a failed future, unwrapped from its CompletionException. */
    static Throwable cause(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }
}
