package io.estuary.protocols.ingest;

import io.estuary.media.router.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log line per publish, unpublish and refusal that operators grep for and log shippers index. The text
 * carries every fact (readable in a terminal); the same facts ride as SLF4J key-value pairs, which the JSON log
 * format turns into fields. Shared by every ingest protocol so the lines look alike.
 */
public final class IngestLog {
    private static final Logger log = LoggerFactory.getLogger("io.estuary.ingest");

    private IngestLog() {
    }

    public static void started(String protocol, StreamKey key, String remote) {
        log.atInfo().setMessage("publish started: stream={} remote={} protocol={}")
                .addArgument(key).addArgument(remote).addArgument(protocol)
                .addKeyValue("event", "publish_started").addKeyValue("stream", key.toString())
                .addKeyValue("remote", remote).addKeyValue("protocol", protocol).log();
    }

    public static void stopped(String protocol, StreamKey key, String remote, String reason, long frames,
            long bytes, long seconds) {
        log.atInfo().setMessage("publish stopped: stream={} remote={} protocol={} reason=\"{}\" duration={}s "
                        + "frames={} bytes={}")
                .addArgument(key).addArgument(remote).addArgument(protocol).addArgument(reason)
                .addArgument(seconds).addArgument(frames).addArgument(bytes)
                .addKeyValue("event", "publish_stopped").addKeyValue("stream", key.toString())
                .addKeyValue("remote", remote).addKeyValue("protocol", protocol).addKeyValue("reason", reason)
                .addKeyValue("duration_seconds", seconds).addKeyValue("frames", frames)
                .addKeyValue("bytes", bytes).log();
    }

    /** {@code stream} may be null when the refusal came before a stream was named (a bad app, a full server). */
    public static void refused(String protocol, String stream, String remote, String reason) {
        log.atWarn().setMessage("publish refused: stream={} remote={} protocol={} reason=\"{}\"")
                .addArgument(stream).addArgument(remote).addArgument(protocol).addArgument(reason)
                .addKeyValue("event", "publish_refused").addKeyValue("stream", stream)
                .addKeyValue("remote", remote).addKeyValue("protocol", protocol).addKeyValue("reason", reason)
                .log();
    }
}
