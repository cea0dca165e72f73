package io.estuary.server.e2e.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.server.EstuaryServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
    /** A prepared clip published as it is, instead of ffmpeg encoding with {@link #profile}; or null. */
    private final Path clip;
    private final Http http = new Http();
    private FfmpegPublisher publisher;
    private int publishCount;

    private LiveFixture(EstuaryServer server, String name, FfmpegPublisher.Profile profile, Path clip) {
        this.server = server;
        this.name = name;
        this.profile = profile;
        this.clip = clip;
    }

    /** Starts the server with {@code overrides} over the defaults (ports are always ephemeral) and a publisher. */
    public static LiveFixture start(String name, FfmpegPublisher.Profile profile, Map<String, Object> overrides) {
        return launch(name, profile, null, overrides);
    }

    public static LiveFixture start(String name, FfmpegPublisher.Profile profile) {
        return start(name, profile, Map.of());
    }

    /** Starts the server with {@code overrides} and publishes {@code clip} (copied, looped) to it. */
    public static LiveFixture startClip(String name, Path clip, Map<String, Object> overrides) {
        return launch(name, null, clip, overrides);
    }

    private static LiveFixture launch(String name, FfmpegPublisher.Profile profile, Path clip,
            Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(overrides);
        settings.put("estuary.http.port", 0);
        settings.put("estuary.rtmp.port", 0);
        settings.put("estuary.whip.udp-port", 0);
        // The packaging, playback and DRM tests look at the stream as published; the ABR tests turn this on.
        settings.putIfAbsent("estuary.transcoder.enabled", false);
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
        EstuaryServer server = EstuaryServer.start(config);
        LiveFixture fixture = new LiveFixture(server, name, profile, clip);
        try {
            fixture.publish();
        } catch (RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** Starts a (new) publisher for the stream. */
    public FfmpegPublisher publish() {
        publishCount++;
        Path log = Processes.targetDir("e2e-logs").resolve("publish-" + name + "-" + publishCount + ".log");
        publisher = clip != null ? FfmpegPublisher.startCopy(rtmpUrl(), clip, log)
                : FfmpegPublisher.start(rtmpUrl(), profile, log);
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
        awaitSegments(segments, timeout, List.of("video", "audio"));
    }

    /** As {@link #awaitSegments(int, Duration)}, for the named media playlists (an ABR ladder's renditions). */
    public void awaitSegments(int segments, Duration timeout, List<String> tracks) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing fetched";
        while (System.nanoTime() < deadline) {
            if (!publisher.isAlive()) {
                throw new AssertionError("ffmpeg exited with " + publisher.exitCode() + ", see " + publisher.log());
            }
            Http.Response mv = http.get(multivariant());
            if (mv.status() == 200) {
                StringBuilder states = new StringBuilder();
                boolean all = true;
                for (String track : tracks) {
                    Http.Response r = http.get(media(track));
                    int listed = r.status() == 200 ? MediaPlaylist.parse(r.text()).segments().size() : 0;
                    all &= listed >= segments;
                    states.append(track).append(' ').append(r.status()).append('/').append(listed).append(' ');
                }
                if (all) {
                    return;
                }
                last = states.toString().trim();
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
