package io.estuary.media.codec.h264;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper around the ffmpeg CLI: x264 encodes to raw Annex B, and ffmpeg's own reading of slice headers
 * (the trace_headers bitstream filter, libavcodec's CBS), an oracle independent of the code under test.
 */
final class Ffmpeg {
    static final Path BINARY = Path.of("/usr/bin/ffmpeg");

    // "[trace_headers @ 0x55...] 44          slice_beta_offset_div2       1 = 0": bit offset, name, bits, value.
    private static final Pattern ELEMENT =
            Pattern.compile("^\\[trace_headers @ [^]]+] (\\d+) +([A-Za-z0-9_\\[\\]]+) +([01]+) = -?\\d+$");

    private Ffmpeg() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** One second of a 320x240 test pattern through libx264 with these options, as an Annex B stream. */
    static byte[] x264(Path dir, String name, String... options) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".h264");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-v", "error", "-nostdin",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "1", "-c:v", "libx264"));
        command.addAll(List.of(options));
        command.addAll(List.of("-f", "h264", "-y", out.toString()));
        run(command);
        return Files.readAllBytes(out);
    }

    /**
     * For every slice NAL unit of an Annex B stream, in stream order, where ffmpeg says its slice header ends: the
     * bit offset (from the first bit of the NAL header, emulation prevention bytes removed, as CBS reads) after the
     * last slice header element it prints; the cabac_alignment_one_bit that may follow belong to slice_data().
     */
    static List<Integer> sliceHeaderEnds(Path annexB) throws IOException, InterruptedException {
        String log = run(List.of(BINARY.toString(), "-hide_banner", "-nostats", "-nostdin", "-f", "h264",
                "-i", annexB.toString(), "-c", "copy", "-copyinkf", "-bsf:v", "trace_headers", "-f", "null", "-"));
        List<Integer> ends = new ArrayList<>();
        int end = -1;
        for (String line : log.split("\n")) {
            Matcher m = ELEMENT.matcher(line.strip());
            if (end >= 0 && m.matches()) {
                if (!m.group(2).equals("cabac_alignment_one_bit")) {
                    end = Math.max(end, Integer.parseInt(m.group(1)) + m.group(3).length());
                }
                continue;
            }
            if (end >= 0) {
                ends.add(end);
                end = -1;
            }
            if (line.endsWith("] Slice Header")) {
                end = 0;
            }
        }
        if (end >= 0) {
            ends.add(end);
        }
        return ends;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(command + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
