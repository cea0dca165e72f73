package io.estuary.packager.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** The openssl command line as an independent AES implementation for known-answer tests. */
final class OpenSsl {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private OpenSsl() {
    }

    static boolean available() {
        return Files.isExecutable(OPENSSL);
    }

    /** {@code openssl enc -<cipher> -nopad -K key -iv iv}: encrypts {@code data} with no padding. */
    static byte[] encrypt(String cipher, byte[] key, byte[] iv, byte[] data) throws IOException, InterruptedException {
        HexFormat hex = HexFormat.of();
        Process p = new ProcessBuilder(OPENSSL.toString(), "enc", "-" + cipher, "-nopad", "-K", hex.formatHex(key),
                "-iv", hex.formatHex(iv)).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(data);
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl timed out");
        assertEquals(0, p.exitValue(), "openssl failed: " + err);
        return out;
    }
}
