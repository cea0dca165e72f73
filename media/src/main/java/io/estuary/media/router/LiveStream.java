package io.estuary.media.router;

import io.estuary.media.frame.MediaFrame;
import io.estuary.media.frame.MediaType;
import io.estuary.media.frame.TrackInfo;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One publish session of a stream: from the publisher's {@code publish} to its disconnect (or takeover).
 * The publisher calls {@link #updateTracks}, {@link #publish} and {@link #end} from one thread; subscribers may
 * come and go from any thread. A republish under the same key is a new {@code LiveStream}.
 */
public final class LiveStream {
    private final StreamKey key;
    private final PublisherInfo publisher;
    private final long startedAtMillis;
    private final Consumer<String> disconnect;
    private final StreamRegistry registry;
    private final CopyOnWriteArrayList<SubscriberQueue> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile List<TrackInfo> tracks = List.of();
    /** By track id; replaced (never mutated) when tracks change, so readers see a consistent map. */
    private volatile Map<Integer, TrackStats> trackStats = Map.of();
    private volatile boolean hasVideo;
    private volatile long framesReceived;
    private volatile long bytesReceived;
    private volatile long droppedByGoneSubscribers;

    LiveStream(StreamRegistry registry, StreamKey key, PublisherInfo publisher, long startedAtMillis,
            Consumer<String> disconnect) {
        this.registry = registry;
        this.key = key;
        this.publisher = publisher;
        this.startedAtMillis = startedAtMillis;
        this.disconnect = disconnect;
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

    /** What has been received per track, in track-id order. */
    public List<TrackStats> trackStats() {
        return trackStats.values().stream()
                .sorted(Comparator.comparingInt(t -> t.info().trackId())).toList();
    }

    /** Frames dropped across all subscribers because they fell behind. */
    public long droppedFrames() {
        long sum = 0;
        for (SubscriberQueue s : subscribers) {
            sum += s.droppedFrames();
        }
        return sum + droppedByGoneSubscribers;
    }

    /** Announces the session's tracks, or a change of one of their codec configurations. */
    public void updateTracks(List<TrackInfo> newTracks) {
        List<TrackInfo> copy = List.copyOf(newTracks);
        if (copy.equals(tracks) || ended.get()) {
            return;
        }
        Map<Integer, TrackStats> stats = new HashMap<>();
        for (TrackInfo t : copy) {
            // A codec change keeps the track's totals: it is the same track of the same session.
            TrackStats existing = trackStats.get(t.trackId());
            if (existing != null && existing.info().type() == t.type()) {
                existing.updateInfo(t);
                stats.put(t.trackId(), existing);
            } else {
                stats.put(t.trackId(), new TrackStats(t));
            }
        }
        trackStats = Map.copyOf(stats);
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
        TrackStats stats = trackStats.get(frame.trackId());
        if (stats != null) {
            stats.record(frame);
        }
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
        if (subscribers.remove(queue)) {
            droppedByGoneSubscribers += queue.droppedFrames();
        }
    }

    /** Ends the session (publisher disconnected). Idempotent. */
    public void end() {
        endOnce();
    }

    /** Ends the session; true only for the call that ended it. */
    private boolean endOnce() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        for (SubscriberQueue s : subscribers) {
            s.offerEnd();
        }
        registry.ended(this);
        return true;
    }

    /**
     * Ends the session and tells the publisher to disconnect (an operator dropped it, or a newer publisher took
     * the stream over). Idempotent.
     */
    public void drop(String reason) {
        if (endOnce()) {
            disconnect.accept(reason);
        }
    }

    @Override
    public String toString() {
        return "LiveStream[" + key + " from " + publisher + "]";
    }
}
