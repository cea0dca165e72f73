package io.estuary.transcoder;

import io.estuary.media.frame.MediaFrame;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one rung's scaling and encoding on a thread of its own, so that the rungs of a stream encode in parallel
 * while the session thread decodes the next picture: the decode, every scale and every encode would otherwise take
 * turns on one thread, and a stream could not use the machine's cores. A picture is handed over as a new reference
 * to the decoder's buffer (no copy). At most {@value #MAX_QUEUED} pictures wait per rung; beyond that the session
 * thread waits for the rung (back-pressure: the source's frames then wait in the stream's bounded queue, where the
 * lag that drives {@link LoadShedder} is measured).
 */
final class RungWorker {

    private static final Logger log = LoggerFactory.getLogger(RungWorker.class);
    static final int MAX_QUEUED = 8;

    private final RungEncoder encoder;
    private final Consumer<MediaFrame> out;
    private final ExecutorService thread;
    private final Semaphore queue = new Semaphore(MAX_QUEUED);
    private long errors;

    RungWorker(RungEncoder encoder, String streamName, Consumer<MediaFrame> out) {
        this.encoder = encoder;
        this.out = out;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "transcode-" + streamName + "-" + encoder.rung().name());
            t.setDaemon(true);
            return t;
        });
    }

    RungEncoder encoder() {
        return encoder;
    }

    /** Queues the picture for this rung, waiting while {@value #MAX_QUEUED} are queued; false if it could not. */
    boolean submit(AVFrame picture, SourceTimeline.Stamp stamp, boolean forceKeyframe) {
        try {
            queue.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            encoder.stats().dropped();
            return false;
        }
        AVFrame ref = avutil.av_frame_clone(picture);
        if (ref == null) {
            queue.release();
            encoder.stats().dropped();
            return false;
        }
        thread.execute(() -> {
            long start = System.nanoTime();
            try {
                encoder.encode(ref, stamp, forceKeyframe, out);
            } catch (RuntimeException e) {
                encoder.stats().dropped();
                if (errors++ % 100 == 0) {
                    log.error("encoding {} failed ({} so far): {}", encoder.rung().name(), errors, e.getMessage());
                }
            } finally {
                avutil.av_frame_free(ref);
                queue.release();
                encoder.stats().worked(System.nanoTime() - start);
            }
        });
        return true;
    }

    /**
     * Encodes what is queued, drains the encoder if {@code flush}, frees the native state and stops the thread;
     * waits (on the session thread, never an event loop) for that to be done.
     */
    void finish(boolean flush) {
        thread.execute(() -> {
            try {
                if (flush) {
                    encoder.flush(out);
                }
            } catch (RuntimeException e) {
                log.warn("flushing {} failed: {}", encoder.rung().name(), e.getMessage());
            } finally {
                encoder.close();
            }
        });
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.error("{} did not finish within 10 s; its native state may leak", encoder.rung().name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
