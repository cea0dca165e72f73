package io.estuary.server.streams;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * How live streams are run, read once from {@code estuary.streams}.
 *
 * @param workerThreads       threads that package streams; each stream is pinned to one of them
 * @param subscriberQueue     frames a packager may fall behind before it drops to the next keyframe
 */
public record StreamsConfig(int workerThreads, int subscriberQueue) {

    public static StreamsConfig from(Config root) {
        Config c = root.getConfig("estuary.streams");
        int threads = c.getInt("worker-threads");
        if (threads == 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1 || threads > 256) {
            throw new ConfigException.BadValue(c.origin(), "estuary.streams.worker-threads",
                    "must be 0 (one per core) or 1 to 256: " + threads);
        }
        int queue = c.getInt("subscriber-queue-frames");
        if (queue < 16 || queue > 100_000) {
            throw new ConfigException.BadValue(c.origin(), "estuary.streams.subscriber-queue-frames",
                    "must be 16 to 100000: " + queue);
        }
        return new StreamsConfig(threads, queue);
    }
}
