package io.estuary.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer's generated configuration is one nginx accepts; skipped where nginx or its RTMP module is missing. */
class NginxRtmpPeerTest {
    @TempDir
    Path dir;

    @Test
    void nginxAcceptsTheGeneratedConfiguration() throws Exception {
        String missing = NginxRtmpPeer.missing();
        assumeTrue(missing == null, () -> "skipped: " + missing);
        Path conf = NginxRtmpPeer.prepare(dir, 19351, 18081); // nginx -t binds nothing
        Path out = dir.resolve("nginx-t.out");
        Process test = new ProcessBuilder(NginxRtmpPeer.command(dir, conf, true)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertTrue(test.waitFor(20, TimeUnit.SECONDS), "nginx -t did not finish within 20 s");
        String said = Files.readString(out);
        assertEquals(0, test.exitValue(), said);
        assertTrue(said.contains("syntax is ok") && said.contains("test is successful"), said);
    }

    @Test
    void isTheConfigurationTheBenchmarkDescribes() {
        String conf = NginxRtmpPeer.config(Path.of("/x"), 1935, 8080);
        assertTrue(conf.startsWith("load_module " + NginxRtmpPeer.MODULE + ";"), conf);
        for (String line : new String[] {"daemon off;", "master_process on;", "worker_processes 1;",
                "listen 127.0.0.1:1935;", "chunk_size 4096;", "hls on;", "hls_path /x/hls;", "hls_fragment 2s;",
                "hls_playlist_length 20s;", "listen 127.0.0.1:8080;", "root /x;"}) {
            assertTrue(conf.contains(line), () -> "no \"" + line + "\" in\n" + conf);
        }
    }
}
