package io.estuary.server.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Headless Chromium on one page, with a profile of its own; killed with all its children on close. */
final class ChromiumProcess implements AutoCloseable {
    private final Process process;
    private final Path userDataDir;

    private ChromiumProcess(Process process, Path userDataDir) {
        this.process = process;
        this.userDataDir = userDataDir;
    }

    /** Opens {@code url} with {@link ChromiumPlayer#FLAGS} and {@code extraFlags}; its output goes to {@code log}. */
    static ChromiumProcess open(String url, List<String> extraFlags, Path log) {
        Processes.requireExecutable("/usr/bin/chromium", "chromium");
        try {
            Path userData = Files.createTempDirectory("estuary-chromium-");
            List<String> cmd = new ArrayList<>();
            cmd.add("/usr/bin/chromium");
            cmd.addAll(ChromiumPlayer.FLAGS);
            cmd.addAll(extraFlags);
            cmd.add("--user-data-dir=" + userData);
            cmd.add(url);
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new ChromiumProcess(process, userData);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start chromium", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        Processes.killTree(process, Duration.ofSeconds(3));
        ChromiumPlayer.deleteQuietly(userDataDir);
    }
}
