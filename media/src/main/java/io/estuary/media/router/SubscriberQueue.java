package io.estuary.media.router;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's bounded queue. The publisher only ever appends (never waits); the subscriber's executor
 * drains. When the queue is full the subscriber has fallen behind: the frame is dropped, and so is everything
 * after it up to the next keyframe (a video keyframe when the session has video), because frames after a gap
 * cannot be decoded anyway. Track changes and the end of the session are never dropped.
 */
final class SubscriberQueue implements Subscription {
    private static final Logger log = LoggerFactory.getLogger(SubscriberQueue.class);
    private static final int MAX_BATCH = 64;

    private final LiveStream stream;
    private final StreamSubscriber subscriber;
    private final Executor executor;
    private final int capacity;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int queuedFrames;
    private boolean waitingForKeyframe;
    private boolean drainScheduled;
    private boolean closed;
    private volatile long dropped;

    SubscriberQueue(LiveStream stream, StreamSubscriber subscriber, Executor executor, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.stream = stream;
        this.subscriber = subscriber;
        this.executor = executor;
        this.capacity = capacity;
    }

    void offerTracks(List<TrackInfo> tracks) {
        offerControl(List.copyOf(tracks));
    }

    void offerEnd() {
        offerControl(End.INSTANCE);
    }

    void offerFrame(MediaFrame frame, boolean sessionHasVideo) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (waitingForKeyframe) {
                boolean resyncPoint = frame.keyframe() && (!sessionHasVideo || frame.type() == MediaType.VIDEO);
                if (!resyncPoint) {
                    dropped++;
                    return;
                }
                waitingForKeyframe = false;
            }
            if (queuedFrames >= capacity) {
                waitingForKeyframe = true;
                dropped++;
                if (dropped == 1 || dropped % 1000 == 0) {
                    log.warn("{}: subscriber {} is behind, dropping to the next keyframe ({} dropped so far)",
                            stream.key(), subscriber, dropped);
                }
                return;
            }
            queue.add(frame);
            queuedFrames++;
        }
        scheduleDrain();
    }

    private void offerControl(Object event) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(event);
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        synchronized (this) {
            if (drainScheduled || queue.isEmpty()) {
                return;
            }
            drainScheduled = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        for (int i = 0; i < MAX_BATCH; i++) {
            Object event;
            synchronized (this) {
                event = closed ? null : queue.poll();
                if (event == null) {
                    drainScheduled = false;
                    return;
                }
                if (event instanceof MediaFrame) {
                    queuedFrames--;
                }
            }
            deliver(event);
        }
        // Yield the executor to other streams pinned to it, then go on.
        synchronized (this) {
            drainScheduled = false;
        }
        scheduleDrain();
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object event) {
        try {
            if (event instanceof MediaFrame frame) {
                subscriber.onFrame(frame);
            } else if (event instanceof List<?> tracks) {
                subscriber.onTracks((List<TrackInfo>) tracks);
            } else {
                subscriber.onEnd();
                close();
            }
        } catch (RuntimeException e) {
            // One faulty consumer must not take the stream or its siblings down.
            log.error("{}: subscriber {} failed on {}", stream.key(), subscriber, event, e);
        }
    }

    @Override
    public long droppedFrames() {
        return dropped;
    }

    @Override
    public synchronized int queuedFrames() {
        return queuedFrames;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            queuedFrames = 0;
        }
        stream.unsubscribe(this);
    }

    private enum End {
        INSTANCE
    }
}
