package io.estuary.server.e2e.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers a SHA-256 per media URL fetched during a run. The design promises that segment, part and init URLs are
 * never reused for different bytes (they are cached forever): any second fetch with other bytes is a violation.
 */
public final class UrlLedger {

    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Records {@code body} for {@code url}; returns a violation message if the URL was seen with other bytes. */
    public String record(String url, byte[] body) {
        String hash = sha256(body);
        String previous = hashes.putIfAbsent(url, hash);
        if (previous != null && !previous.equals(hash)) {
            String v = url + " served with different bytes: sha256 " + previous + " then " + hash;
            violations.add(v);
            return v;
        }
        return null;
    }

    public int size() {
        return hashes.size();
    }

    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
