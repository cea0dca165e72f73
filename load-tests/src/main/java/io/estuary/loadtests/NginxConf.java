package io.estuary.loadtests;

import java.nio.file.Path;
import java.util.List;

/** What every nginx the benchmarks start has in common: one worker, in the foreground, writing only under its dir. */
final class NginxConf {

    private NginxConf() {
    }

    /** The main context: foreground, one worker, pid and error log under {@code dir}. */
    static List<String> main(Path dir) {
        return List.of(
                "daemon off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("nginx-error.log") + " warn;",
                "events { worker_connections 1024; }");
    }

    /** Inside {@code http}: no access log, and every temp path under {@code tmp} (not nginx's system paths). */
    static List<String> httpBasics(String tmp) {
        return List.of(
                "  access_log off;",
                "  client_body_temp_path " + tmp + "/body;",
                "  proxy_temp_path " + tmp + "/proxy;",
                "  fastcgi_temp_path " + tmp + "/fastcgi;",
                "  uwsgi_temp_path " + tmp + "/uwsgi;",
                "  scgi_temp_path " + tmp + "/scgi;");
    }
}
