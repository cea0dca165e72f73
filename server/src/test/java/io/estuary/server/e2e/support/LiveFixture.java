package io.estuary.server.e2e.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.server.EstuaryServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One embedded server on ephemeral ports with one ffmpeg publisher feeding {@code live/NAME}: what most e2e tests
 * share. Logs go to {@code target/e2e-logs/}.
 */
public final class LiveFixture implements AutoCloseable {

    public static final String APP = "live";

    private final EstuaryServer server;
    private final String name;
    private final FfmpegPublisher.Profile profile;
    private final Http http = new Http();
    private FfmpegPublisher publisher;
    private int publishCount;

    private LiveFixture(EstuaryServer server, String name, FfmpegPublisher.Profile profile) {
        this.server = server;
        this.name = name;
        this.profile = profile;
    }

    /** Starts the server with {@code overrides} over the defaults (ports are always ephemeral) and a publisher. */
    public static LiveFixture start(String name, FfmpegPublisher.Profile profile, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(overrides);
        settings.put("estuary.http.port", 0);
        settings.put("estuary.rtmp.port", 0);
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
        EstuaryServer server = EstuaryServer.start(config);
        LiveFixture fixture = new LiveFixture(server, name, profile);
        try {
            fixture.publish();
        } catch (RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    public static LiveFixture start(String name, FfmpegPublisher.Profile profile) {
        return start(name, profile, Map.of());
    }

    /** Starts a (new) publisher for the stream. */
    public FfmpegPublisher publish() {
        publishCount++;
        Path log = Processes.targetDir("e2e-logs").resolve("publish-" + name + "-" + publishCount + ".log");
        publisher = FfmpegPublisher.start(rtmpUrl(), profile, log);
        return publisher;
    }

    public FfmpegPublisher publisher() {
        return publisher;
    }

    public EstuaryServer server() {
        return server;
    }

    public Http http() {
        return http;
    }

    public String name() {
        return name;
    }

    public String rtmpUrl() {
        return "rtmp://127.0.0.1:" + server.rtmpPort() + "/" + APP + "/" + name;
    }

    public String base() {
        return "http://127.0.0.1:" + server.httpPort() + "/" + APP + "/" + name + "/";
    }

    public URI multivariant() {
        return URI.create(base() + "index.m3u8");
    }

    public URI media(String rendition) {
        return URI.create(base() + rendition + ".m3u8");
    }

    /** Fetches and parses a media playlist (not blocking). */
    public MediaPlaylist playlist(String rendition) {
        Http.Response r = http.get(media(rendition));
        if (r.status() != 200) {
            throw new AssertionError("GET " + media(rendition) + " answered " + r.status());
        }
        return MediaPlaylist.parse(r.text());
    }

    /**
     * Waits until the multivariant playlist answers and both media playlists list at least {@code segments}
     * complete segments. Fails with the publisher's state if not.
     */
    public void awaitSegments(int segments, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing fetched";
        while (System.nanoTime() < deadline) {
            if (!publisher.isAlive()) {
                throw new AssertionError("ffmpeg exited with " + publisher.exitCode() + ", see " + publisher.log());
            }
            Http.Response mv = http.get(multivariant());
            if (mv.status() == 200) {
                Http.Response v = http.get(media("video"));
                Http.Response a = http.get(media("audio"));
                if (v.status() == 200 && a.status() == 200
                        && MediaPlaylist.parse(v.text()).segments().size() >= segments
                        && MediaPlaylist.parse(a.text()).segments().size() >= segments) {
                    return;
                }
                last = "video " + v.status() + ", audio " + a.status();
            } else {
                last = "index.m3u8 " + mv.status();
            }
            ChromiumPlayer.sleep(200);
        }
        throw new AssertionError("the stream did not list " + segments + " segments within " + timeout + " (" + last
                + "); publisher log " + publisher.log());
    }

    @Override
    public void close() {
        if (publisher != null) {
            publisher.stop();
        }
        server.close();
    }
}
