package io.estuary.packager.drm.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.estuary.media.router.StreamKey;
import io.estuary.packager.drm.ContentKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GeneratedKeyProviderTest {

    private final GeneratedKeyProvider provider = new GeneratedKeyProvider(new InMemoryKeyStore());

    private ContentKey key(GeneratedKeyProvider p, String name) throws Exception {
        return p.keyFor(new StreamKey("live", name), DrmPolicy.defaults()).get(1, TimeUnit.SECONDS).key();
    }

    @Test
    void aStreamKeepsItsKeyAcrossRepublishes() throws Exception {
        ContentKey first = key(provider, "a");
        assertEquals(first, key(provider, "a"));
        assertEquals(16, first.kid().length);
        assertEquals(16, first.key().length);
        assertEquals(16, first.iv().length);
        assertFalse(Arrays.equals(first.kid(), first.key()), "key ID and key are drawn apart");
    }

    @Test
    void streamsGetDifferentKeys() throws Exception {
        Set<String> kids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ContentKey k = key(provider, "s" + i);
            kids.add(k.kidHex());
            keys.add(Arrays.toString(k.key()));
        }
        assertEquals(50, kids.size());
        assertEquals(50, keys.size());
    }

    @Test
    void concurrentFirstPublishesAgreeOnOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<ContentKey>> keys = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                keys.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return key(provider, "race");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            start.countDown();
            ContentKey first = keys.get(0).get(5, TimeUnit.SECONDS);
            for (CompletableFuture<ContentKey> k : keys) {
                assertEquals(first, k.get(5, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theStoreForgetsTheLeastRecentlyUsedStreamPastItsCapacity() throws Exception {
        GeneratedKeyProvider small = new GeneratedKeyProvider(new InMemoryKeyStore(2));
        ContentKey a = key(small, "a");
        ContentKey b = key(small, "b");
        assertEquals(a, key(small, "a")); // a is now the most recently used
        key(small, "c");
        assertEquals(a, key(small, "a"));
        assertNotEquals(b, key(small, "b"), "b was forgotten and drew a new key");
    }
}
