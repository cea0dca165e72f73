package io.estuary.server.streams;

import io.estuary.media.router.StreamKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Viewers of each stream, approximated as the distinct clients (the caller says what identifies one) that fetched
 * one of its media playlists within the last window: an LL-HLS player reloads a playlist about every part target,
 * so a watching player is seen every second or so, and one that left drops out after the window. Behind a CDN
 * this counts the CDN's clients, not the audience. Bounded: past {@link #MAX_PER_STREAM} clients of one stream,
 * new ones are not tracked.
 */
public final class ViewerCounter {
    static final int MAX_PER_STREAM = 100_000;

    private final long windowMillis;
    private final ConcurrentHashMap<StreamKey, ConcurrentHashMap<Object, Long>> seen = new ConcurrentHashMap<>();

    public ViewerCounter(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** A client (any value identifying it) fetched a playlist of {@code key}. */
    public void seen(StreamKey key, Object client, long nowMillis) {
        ConcurrentHashMap<Object, Long> clients = seen.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        if (clients.size() < MAX_PER_STREAM || clients.containsKey(client)) {
            clients.put(client, nowMillis);
        }
    }

    public int viewers(StreamKey key, long nowMillis) {
        Map<Object, Long> clients = seen.get(key);
        if (clients == null) {
            return 0;
        }
        int n = 0;
        for (long last : clients.values()) {
            if (nowMillis - last < windowMillis) {
                n++;
            }
        }
        return n;
    }

    /** Forgets clients not seen within the window, and streams with none left. */
    public void sweep(long nowMillis) {
        for (Map.Entry<StreamKey, ConcurrentHashMap<Object, Long>> e : seen.entrySet()) {
            e.getValue().values().removeIf(last -> nowMillis - last >= windowMillis);
            seen.computeIfPresent(e.getKey(), (k, v) -> v.isEmpty() ? null : v);
        }
    }
}
