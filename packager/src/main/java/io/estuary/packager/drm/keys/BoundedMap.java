package io.estuary.packager.drm.keys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map that forgets its least recently used entry past a capacity. Stream names come from publishers, so every
 * per-stream memory here needs a bound; the lock is held only for a map operation, never across I/O.
 */
final class BoundedMap<K, V> {

    private final LinkedHashMap<K, V> map;

    BoundedMap(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized V computeIfAbsent(K key, Function<? super K, ? extends V> create) {
        return map.computeIfAbsent(key, create);
    }

    /** @return the value already there, or {@code null} when {@code value} was added */
    synchronized V putIfAbsent(K key, V value) {
        return map.putIfAbsent(key, value);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized boolean remove(K key, V value) {
        return map.remove(key, value);
    }

    synchronized int size() {
        return map.size();
    }
}
