package io.estuary.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx with the RTMP module (Debian's {@code libnginx-mod-rtmp}) as the peer of an ingest benchmark: live RTMP
 * ingest with HLS on, so that it segments and writes playlists as we do, in a directory of its own. It writes
 * MPEG-TS fragments of about 2 s to disk and a playlist per stream, with no LL-HLS parts; an {@code http} block
 * serves them at {@code /hls/NAME.m3u8} (and answers 204 at {@code /up}). One master and one worker, in the foreground, loopback only.
 */
final class NginxRtmpPeer {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    /** RTMP application name; a stream NAME published to it is served at {@code /hls/NAME.m3u8}. */
    static final String APP = "live";

    private NginxRtmpPeer() {
    }

    /** Why the peer cannot run here, with the command that fixes it, or null when nginx and its module are there. */
    static String missing() {
        if (!Files.isExecutable(NGINX)) {
            return NGINX + " is missing (apt-get install -y nginx libnginx-mod-rtmp)";
        }
        if (!Files.isRegularFile(MODULE)) {
            return MODULE + " is missing (apt-get install -y libnginx-mod-rtmp)";
        }
        return null;
    }

    /** The configuration: everything nginx writes (pid, logs, temp files, HLS) goes under {@code dir}. */
    static String config(Path dir, int rtmpPort, int httpPort) {
        String tmp = dir.resolve("tmp").toString();
        List<String> lines = new ArrayList<>();
        lines.add("load_module " + MODULE + ";");
        lines.add("master_process on;");
        lines.addAll(NginxConf.main(dir));
        lines.addAll(List.of(
                "rtmp {",
                "  server {",
                "    listen 127.0.0.1:" + rtmpPort + ";",
                "    chunk_size 4096;",
                "    application " + APP + " {",
                "      live on;",
                "      hls on;",
                "      hls_path " + dir.resolve("hls") + ";",
                "      hls_fragment 2s;",
                "      hls_playlist_length 20s;",
                "    }",
                "  }",
                "}",
                "http {"));
        lines.addAll(NginxConf.httpBasics(tmp));
        lines.addAll(List.of(
                "  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }",
                "  server {",
                "    listen 127.0.0.1:" + httpPort + ";",
                "    location = /up { return 204; }",
                "    location /hls/ {",
                "      root " + dir + ";",
                "      add_header Cache-Control no-cache;",
                "    }",
                "  }",
                "}", ""));
        return String.join("\n", lines);
    }

    /**
     * Writes the configuration into {@code dir} and makes the HLS directory writable by the worker (it runs as
     * nobody when the master runs as root); returns the configuration file.
     */
    static Path prepare(Path dir, int rtmpPort, int httpPort) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        Path hls = Files.createDirectories(dir.resolve("hls"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(hls, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, rtmpPort, httpPort));
        return conf;
    }

    /** The command line; with {@code test}, {@code nginx -t}: parse the configuration, load the module, exit. */
    static List<String> command(Path dir, Path conf, boolean test) {
        List<String> cmd = new ArrayList<>(List.of(NGINX.toString()));
        if (test) {
            cmd.add("-t");
        }
        // -e: the error log before the configuration is read (the Debian build's default is stderr, but say it).
        cmd.addAll(List.of("-p", dir + "/", "-e", dir.resolve("nginx-error.log").toString(), "-c", conf.toString()));
        return cmd;
    }

    /**
     * Starts nginx in the foreground (the returned process is the master); its output goes to dir/nginx.out. Fails
     * at once when the worker could not reach {@code dir} (a parent closed to others, as temp directories are).
     */
    static Process start(Path dir, Path conf) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException(p + " is closed to others: nginx's worker (nobody) could not write " + dir
                        + "/hls nor serve it (chmod o+x)");
            }
        }
        return new ProcessBuilder(command(dir, conf, false)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
    }

    /** Stops the master (SIGTERM: fast shutdown), then whatever is left of it and its workers, within seconds. */
    static void stop(Process master) throws InterruptedException {
        List<ProcessHandle> workers = master.descendants().toList();
        master.destroy();
        if (!master.waitFor(5, TimeUnit.SECONDS)) {
            master.destroyForcibly();
            master.waitFor(2, TimeUnit.SECONDS);
        }
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
