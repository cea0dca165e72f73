package io.estuary.media.router;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One publish session of a stream: from the publisher's {@code publish} to its disconnect (or takeover).
 * The publisher calls {@link #updateTracks}, {@link #publish} and {@link #end} from one thread; subscribers may
 * come and go from any thread. A republish under the same key is a new {@code LiveStream}.
 */
public final class LiveStream {
    private final StreamKey key;
    private final PublisherInfo publisher;
    private final long startedAtMillis;
    private final Runnable onEvicted;
    private final StreamRegistry registry;
    private final CopyOnWriteArrayList<SubscriberQueue> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile List<TrackInfo> tracks = List.of();
    private volatile boolean hasVideo;
    private volatile long framesReceived;
    private volatile long bytesReceived;

    LiveStream(StreamRegistry registry, StreamKey key, PublisherInfo publisher, long startedAtMillis,
            Runnable onEvicted) {
        this.registry = registry;
        this.key = key;
        this.publisher = publisher;
        this.startedAtMillis = startedAtMillis;
        this.onEvicted = onEvicted;
    }

    public StreamKey key() {
        return key;
    }

    public PublisherInfo publisher() {
        return publisher;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public List<TrackInfo> tracks() {
        return tracks;
    }

    public boolean isLive() {
        return !ended.get();
    }

    public long framesReceived() {
        return framesReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** Announces the session's tracks, or a change of one of their codec configurations. */
    public void updateTracks(List<TrackInfo> newTracks) {
        List<TrackInfo> copy = List.copyOf(newTracks);
        if (copy.equals(tracks) || ended.get()) {
            return;
        }
        tracks = copy;
        hasVideo = copy.stream().anyMatch(t -> t.type() == MediaType.VIDEO);
        for (SubscriberQueue s : subscribers) {
            s.offerTracks(copy);
        }
        registry.tracksChanged(this, copy);
    }

    /** Hands a frame to every subscriber; never blocks, whatever the subscribers do. */
    public void publish(MediaFrame frame) {
        if (ended.get()) {
            return;
        }
        framesReceived++;
        bytesReceived += frame.size();
        boolean video = hasVideo;
        for (SubscriberQueue s : subscribers) {
            s.offerFrame(frame, video);
        }
    }

    /**
     * Subscribes to the session from now on. The subscriber first receives the current tracks (if known) and is
     * then called on {@code executor}, with at most {@code capacity} frames queued before it starts dropping.
     */
    public Subscription subscribe(StreamSubscriber subscriber, Executor executor, int capacity) {
        SubscriberQueue queue = new SubscriberQueue(this, subscriber, executor, capacity);
        subscribers.add(queue);
        List<TrackInfo> current = tracks;
        if (!current.isEmpty()) {
            queue.offerTracks(current);
        }
        if (ended.get()) {
            queue.offerEnd();
        }
        return queue;
    }

    void unsubscribe(SubscriberQueue queue) {
        subscribers.remove(queue);
    }

    /** Ends the session (publisher disconnected). Idempotent. */
    public void end() {
        if (ended.compareAndSet(false, true)) {
            for (SubscriberQueue s : subscribers) {
                s.offerEnd();
            }
            registry.ended(this);
        }
    }

    /** Ends the session because a newer publisher took the stream over; tells the old publisher to go. */
    void evict() {
        end();
        onEvicted.run();
    }

    @Override
    public String toString() {
        return "LiveStream[" + key + " from " + publisher + "]";
    }
}
