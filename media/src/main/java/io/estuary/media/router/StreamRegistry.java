package io.estuary.media.router;

import io.estuary.media.frame.TrackInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The live streams of this node, by key, and the rules for who may publish one. */
public final class StreamRegistry {
    private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);

    private final ConcurrentHashMap<StreamKey, LiveStream> live = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<StreamListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public StreamRegistry() {
        this(Clock.systemUTC());
    }

    public StreamRegistry(Clock clock) {
        this.clock = clock;
    }

    public void addListener(StreamListener listener) {
        listeners.add(listener);
    }

    /**
     * Starts a publish session. A key that is already live is refused, unless the new publisher is the same
     * one reconnecting ({@link PublisherInfo#mayTakeOver}): then the old session is ended and
     * {@code disconnect} of the old publisher runs so that it can close its connection.
     *
     * @param disconnect asks this publisher to close its connection, with the reason (takeover, or an operator
     *                   dropping it); may be called from any thread
     */
    public LiveStream publish(StreamKey key, PublisherInfo publisher, Consumer<String> disconnect)
            throws StreamBusyException {
        return publish(key, publisher, disconnect, false);
    }

    /**
     * Starts a publish session that replaces whatever session of the key is live. For a producer that is not a
     * publisher of its own (a transcoder republishing a session that the ingest registry already admitted): the
     * previous output of the key belongs to a session that has ended or been taken over.
     */
    public LiveStream publishReplacing(StreamKey key, PublisherInfo publisher, Consumer<String> disconnect) {
        try {
            return publish(key, publisher, disconnect, true);
        } catch (StreamBusyException e) {
            throw new IllegalStateException("unreachable: a replacing publish is never refused", e);
        }
    }

    private LiveStream publish(StreamKey key, PublisherInfo publisher, Consumer<String> disconnect,
            boolean replace) throws StreamBusyException {
        LiveStream fresh = new LiveStream(this, key, publisher, clock.millis(), disconnect);
        LiveStream previous;
        synchronized (this) {
            previous = live.get(key);
            if (previous != null && !replace && !publisher.mayTakeOver(previous.publisher())) {
                throw new StreamBusyException(key);
            }
            live.put(key, fresh);
        }
        if (previous != null) {
            if (replace) {
                log.debug("{}: session of {} replaced by the session of {}", key, previous.publisher(), publisher);
                previous.drop("replaced by a newer session");
            } else {
                log.info("{}: taken over by {} (was {})", key, publisher, previous.publisher());
                previous.drop("taken over by a reconnecting publisher");
            }
        }
        for (StreamListener l : listeners) {
            l.onStreamStarted(fresh);
        }
        return fresh;
    }

    public Optional<LiveStream> get(StreamKey key) {
        return Optional.ofNullable(live.get(key));
    }

    public Collection<LiveStream> streams() {
        return List.copyOf(new ArrayList<>(live.values()));
    }

    void tracksChanged(LiveStream stream, List<TrackInfo> tracks) {
        for (StreamListener l : listeners) {
            l.onTracksChanged(stream, tracks);
        }
    }

    void ended(LiveStream stream) {
        live.remove(stream.key(), stream);
        for (StreamListener l : listeners) {
            l.onStreamStopped(stream);
        }
    }
}
