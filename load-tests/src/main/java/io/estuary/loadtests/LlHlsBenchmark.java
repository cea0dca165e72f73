package io.estuary.loadtests;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.estuary.media.router.StreamKey;
import io.estuary.server.EstuaryServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (1) Ingest-to-part latency: an embedded server, a real-time ffmpeg publisher for ~40 s, then
 * {@link EstuaryServer#partLatency}. (2) Serving throughput: one part, one segment and the media playlist, served by
 * our server and by nginx from a copy of the same bytes, each hammered by {@code wrk -t2 -c64 -d10s}.
 * Everything binds to 127.0.0.1, every external process is bounded in time. Prints figures, asserts nothing.
 */
public final class LlHlsBenchmark {

    private static final String NAME = "bench";

    private LlHlsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int publishSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path work = Files.createTempDirectory("estuary-bench-");
        // The playlists must outlive the publisher, stopped before wrk runs, for the whole measurement.
        Config config = ConfigFactory.parseMap(Map.of("estuary.http.port", 0, "estuary.rtmp.port", 0,
                        "estuary.whip.udp-port", 0,
                        "estuary.packager.idle-timeout", "10m", "estuary.transcoder.enabled", false))
                .withFallback(ConfigFactory.load());
        Process ffmpeg = null;
        try (EstuaryServer server = EstuaryServer.start(config)) {
            String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort() + "/live/" + NAME;
            String base = "http://127.0.0.1:" + server.httpPort() + "/live/" + NAME + "/";
            ffmpeg = startPublisher(rtmp, work.resolve("ffmpeg.log"));
            System.out.println("publishing " + rtmp + " for " + publishSeconds + " s (ffmpeg log " + work.resolve("ffmpeg.log") + ")");
            for (int s = 0; s < publishSeconds; s += 10) {
                Thread.sleep(Math.min(10, publishSeconds - s) * 1000L);
                if (!ffmpeg.isAlive()) {
                    System.out.println("ffmpeg exited early with " + ffmpeg.exitValue());
                    break;
                }
            }
            System.out.println();
            System.out.println("== ingest-to-part latency (EstuaryServer.partLatency) ==");
            System.out.println(server.partLatency(new StreamKey("live", NAME)));

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String playlistPath = "video.m3u8";
            String playlist = new String(get(http, base + playlistPath), StandardCharsets.UTF_8);
            String[] objects = pickPartAndSegment(playlist);
            if (objects == null) {
                System.out.println("no complete segment with parts in the playlist; skipping throughput:\n" + playlist);
                return;
            }
            Path www = work.resolve("www");
            List<String> paths = List.of(objects[0], objects[1], playlistPath);
            for (String path : paths) {
                Path file = www.resolve(NAME).resolve(path);
                Files.createDirectories(file.getParent());
                Files.write(file, get(http, base + path));
            }
            // The encoder is not on an origin's machine in production: stop it so that it does not steal the two
            // cores from either server under wrk. The objects stay in the live window (idle-timeout).
            stopPublisher(ffmpeg);
            ffmpeg = null;
            makeWorldReadable(work); // nginx workers run as an unprivileged user when started by root
            int nginxPort = freePort();
            Process nginx = startNginx(work, www, nginxPort);
            try {
                Thread.sleep(500);
                System.out.println();
                System.out.println("== wrk -t2 -c64 -d10s, 127.0.0.1 ==");
                System.out.printf("%-12s %-40s %14s %14s %14s %14s%n", "object", "path", "estuary req/s", "nginx req/s",
                        "estuary B/s", "nginx B/s");
                // The last row asks for gzip, as browsers do: nginx compresses the playlist per request, we once
                // per playlist version.
                String[] labels = {"part", "segment", "playlist", "playlist.gz"};
                List<String> rows = new ArrayList<>(paths);
                rows.add(paths.get(paths.size() - 1));
                for (int i = 0; i < rows.size(); i++) {
                    String path = rows.get(i);
                    boolean gzip = labels[i].endsWith(".gz");
                    wrk(base + path, work.resolve("wrk-warmup-" + labels[i] + ".log"), gzip); // JIT warm-up
                    double[] ours = wrk(base + path, work.resolve("wrk-estuary-" + labels[i] + ".log"), gzip);
                    double[] theirs = wrk("http://127.0.0.1:" + nginxPort + "/" + NAME + "/" + path,
                            work.resolve("wrk-nginx-" + labels[i] + ".log"), gzip);
                    System.out.printf("%-12s %-40s %14.0f %14.0f %14s %14s%n", labels[i], path, ours[0], theirs[0],
                            human(ours[1]), human(theirs[1]));
                }
            } finally {
                destroy(nginx);
            }
            System.out.println();
            System.out.println("logs and copies in " + work);
        } finally {
            if (ffmpeg != null) {
                stopPublisher(ffmpeg);
            }
        }
    }

    /** The first part and the segment of the newest complete segment that lists its parts. */
    static String[] pickPartAndSegment(String playlist) {
        String firstPart = null;
        String[] chosen = null;
        boolean afterExtinf = false;
        for (String line : playlist.split("\n")) {
            line = line.strip();
            if (line.startsWith("#EXT-X-PART:")) {
                Matcher m = Pattern.compile("URI=\"([^\"]+)\"").matcher(line);
                if (m.find() && firstPart == null) {
                    firstPart = m.group(1);
                }
            } else if (line.startsWith("#EXTINF")) {
                afterExtinf = true;
            } else if (afterExtinf && !line.startsWith("#") && !line.isEmpty()) {
                if (firstPart != null) {
                    chosen = new String[] {firstPart, line};
                }
                firstPart = null;
                afterExtinf = false;
            }
        }
        return chosen;
    }

    static Process startPublisher(String rtmp, Path log) throws IOException {
        return new ProcessBuilder("/usr/bin/ffmpeg", "-hide_banner", "-nostats", "-loglevel", "info",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "60", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-f", "flv", rtmp)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void stopPublisher(Process ffmpeg) throws InterruptedException {
        try (OutputStream stdin = ffmpeg.getOutputStream()) {
            stdin.write('q');
        } catch (IOException ignored) {
            // already gone
        }
        if (!ffmpeg.waitFor(5, TimeUnit.SECONDS)) {
            destroy(ffmpeg);
        }
    }

    static Process startNginx(Path work, Path www, int port) throws IOException {
        Path conf = work.resolve("nginx.conf");
        Files.createDirectories(work.resolve("nginx-tmp"));
        String tmp = work.resolve("nginx-tmp").toString();
        List<String> lines = new ArrayList<>(NginxConf.main(work));
        lines.add("http {");
        lines.addAll(NginxConf.httpBasics(tmp));
        lines.add("  sendfile on;");
        lines.addAll(List.of(
                "  types { application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; video/mp4 mp4; }",
                "  gzip on;",
                "  gzip_min_length 512;",
                "  gzip_types application/vnd.apple.mpegurl;",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    root " + www + ";",
                "    add_header Access-Control-Allow-Origin *;",
                "  }",
                "}", ""));
        Files.writeString(conf, String.join("\n", lines));
        return new ProcessBuilder("/usr/sbin/nginx", "-c", conf.toString(), "-p", work.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("nginx.out").toFile()).start();
    }

    static void makeWorldReadable(Path root) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /**
     * Runs wrk against {@code url}, asking for gzip when told to; returns {requests/s, bytes/s}. Warns when
     * responses were not 2xx/3xx.
     */
    static double[] wrk(String url, Path log, boolean gzip) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/wrk", "-t2", "-c64", "-d10s"));
        if (gzip) {
            cmd.addAll(List.of("-H", "Accept-Encoding: gzip"));
        }
        cmd.add(url);
        Process wrk = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!wrk.waitFor(30, TimeUnit.SECONDS)) {
            destroy(wrk);
            return new double[] {Double.NaN, Double.NaN};
        }
        String out = Files.readString(log);
        Matcher errors = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        if (errors.find()) {
            System.out.println("WARNING: " + errors.group(1) + " non-2xx/3xx responses from " + url + " (see " + log + ")");
        }
        return new double[] {parse(out, "Requests/sec:\\s+([0-9.]+)()"), parse(out, "Transfer/sec:\\s+([0-9.]+)(\\w*)")};
    }

    static double parse(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "KB" -> v * 1024;
            case "MB" -> v * 1024 * 1024;
            case "GB" -> v * 1024 * 1024 * 1024;
            default -> v;
        };
    }

    static String human(double bytesPerSecond) {
        if (Double.isNaN(bytesPerSecond)) {
            return "n/a";
        }
        String[] units = {"B", "KiB", "MiB", "GiB"};
        int u = 0;
        while (bytesPerSecond >= 1024 && u < units.length - 1) {
            bytesPerSecond /= 1024;
            u++;
        }
        return String.format("%.1f %s", bytesPerSecond, units[u]);
    }

    static byte[] get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode());
        }
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void destroy(Process p) {
        List<ProcessHandle> children = new ArrayList<>(p.descendants().toList());
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
