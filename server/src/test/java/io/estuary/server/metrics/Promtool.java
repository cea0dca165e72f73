package io.estuary.server.metrics;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Prometheus's promtool (Debian package {@code prometheus}), when it is on the PATH. */
final class Promtool {

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    static Optional<Promtool> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = dir.isEmpty() ? null : Path.of(dir).resolve("promtool");
            if (p != null && Files.isExecutable(p)) {
                return Optional.of(new Promtool(p));
            }
        }
        return Optional.empty();
    }

    /** Runs promtool in {@code conf/prometheus} with {@code stdin} (or nothing) as input; fails with its output. */
    void run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(MonitoringConf.PROMETHEUS.toFile())
                .redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish:\n" + output);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
