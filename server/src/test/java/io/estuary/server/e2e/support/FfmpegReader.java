package io.estuary.server.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ffmpeg and ffprobe as HLS readers: decode a stream to nowhere, probe its streams. */
public final class FfmpegReader {

    private static final Pattern VIDEO_DECODED =
            Pattern.compile("Input stream #\\d+:\\d+ \\(video\\): \\d+ packets read \\(\\d+ bytes\\); (\\d+) frames decoded");
    private static final Pattern AUDIO_DECODED = Pattern.compile(
            "Input stream #\\d+:\\d+ \\(audio\\): \\d+ packets read \\(\\d+ bytes\\); \\d+ frames decoded \\((\\d+) samples\\)");

    private FfmpegReader() {
    }

    /**
     * What one decode run produced: exit code, the error lines ffmpeg logged, and the frames/samples it decoded
     * per stream (as printed by ffmpeg's verbose end-of-run summary).
     */
    public record DecodeResult(int exitCode, List<String> errorLines, long videoFrames, long audioSamples, Path log) {

        public double videoSeconds(double fps) {
            return videoFrames / fps;
        }

        public double audioSeconds(int sampleRate) {
            return (double) audioSamples / sampleRate;
        }

        @Override
        public String toString() {
            return "exit=" + exitCode + " videoFrames=" + videoFrames + " audioSamples=" + audioSamples
                    + " errors=" + errorLines + " log=" + log;
        }
    }

    /** One stream as ffprobe sees it. */
    public record ProbedStream(String codecType, String codecName, int width, int height) {
    }

    /**
     * Reads {@code url} with ffmpeg for {@code seconds} of input, every stream mapped, decoded to the null muxer.
     * Logs are prefixed with their level so that errors can be told from chatter.
     */
    public static DecodeResult decode(String url, int seconds, Path log, Duration timeout) {
        Processes.requireExecutable("/usr/bin/ffmpeg", "ffmpeg");
        List<String> cmd = List.of("/usr/bin/ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "level+verbose",
                "-t", Integer.toString(seconds), "-i", url, "-map", "0", "-f", "null", "-");
        int exit = run(cmd, log, timeout);
        List<String> lines = readLines(log);
        List<String> errors = new ArrayList<>();
        long frames = 0;
        long samples = 0;
        for (String line : lines) {
            if (line.startsWith("[error]") || line.startsWith("[fatal]") || line.startsWith("[panic]")
                    || line.contains("] [error]") || line.contains("] [fatal]")) {
                errors.add(line);
            }
            Matcher v = VIDEO_DECODED.matcher(line);
            if (v.find()) {
                frames += Long.parseLong(v.group(1));
            }
            Matcher a = AUDIO_DECODED.matcher(line);
            if (a.find()) {
                samples += Long.parseLong(a.group(1));
            }
        }
        return new DecodeResult(exit, errors, frames, samples, log);
    }

    /** The streams ffprobe finds at {@code url} (for a multivariant playlist: every rendition's streams). */
    public static List<ProbedStream> probe(String url, Path log, Duration timeout) {
        Processes.requireExecutable("/usr/bin/ffprobe", "ffmpeg");
        Path out = log.resolveSibling(log.getFileName() + ".out");
        List<String> cmd = List.of("/usr/bin/ffprobe", "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height", "-of", "default=nw=1", url);
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
        int exit = waitFor(start(builder), timeout);
        if (exit != 0) {
            throw new AssertionError("ffprobe exited with " + exit + ": " + readLines(log));
        }
        return parseProbe(readLines(out));
    }

    /** Parses ffprobe's {@code default=nw=1} output: key=value lines, a new stream at each {@code codec_name}. */
    static List<ProbedStream> parseProbe(List<String> lines) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (current == null || current.containsKey(key)) {
                current = new LinkedHashMap<>();
                blocks.add(current);
            }
            current.put(key, value);
        }
        List<ProbedStream> streams = new ArrayList<>();
        for (Map<String, String> b : blocks) {
            streams.add(new ProbedStream(b.getOrDefault("codec_type", ""), b.getOrDefault("codec_name", ""),
                    parseInt(b.get("width")), parseInt(b.get("height"))));
        }
        return streams;
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int run(List<String> cmd, Path log, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        return waitFor(start(builder), timeout);
    }

    private static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command().get(0), e);
        }
    }

    private static int waitFor(Process process, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.killTree(process, Duration.ofSeconds(2));
                throw new AssertionError(process.info().command().orElse("process") + " did not finish within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.killTree(process, Duration.ZERO);
            throw new AssertionError("interrupted", e);
        }
    }

    static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            // ffmpeg may print bytes that are not UTF-8 (stream titles): fall back to Latin-1
            try {
                return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        }
    }
}
