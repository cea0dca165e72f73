package io.estuary.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code /readyz} asks before it says ready: named checks that each return null when fine, or the reason
 * they are not (listeners not bound yet, shutting down; later, Redis unreachable). {@code /healthz} asks none of
 * them: it says only that the process answers, so an orchestrator does not restart a server that is merely
 * waiting for a dependency.
 */
public final class HealthChecks {
    private final Map<String, Supplier<String>> checks = new LinkedHashMap<>();

    public synchronized void add(String name, Supplier<String> check) {
        checks.put(name, check);
    }

    /** Null when every check passes, otherwise "name: reason" of each failing one. */
    public synchronized String notReadyReason() {
        StringBuilder reasons = new StringBuilder();
        for (Map.Entry<String, Supplier<String>> e : checks.entrySet()) {
            String reason = e.getValue().get();
            if (reason != null) {
                reasons.append(reasons.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(reason);
            }
        }
        return reasons.length() == 0 ? null : reasons.toString();
    }
}
