package io.estuary.packager.hls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

/**
 * A text body as it goes to every client asking for it: its bytes, a strong validator and, on first demand, its
 * gzip encoding. Every player reloads the same few playlists, so encoding, hashing and compressing a playlist
 * once per snapshot instead of once per request is what keeps the cost per viewer low. Immutable; safe to share.
 */
public final class RenderedText {
    private final ByteBuffer bytes;
    private final String etag;
    private volatile ByteBuffer gzip;

    RenderedText(String text) {
        this(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param encoded the body; kept, not copied: nobody may modify it afterwards */
    public RenderedText(byte[] encoded) {
        this.bytes = ByteBuffer.wrap(encoded).asReadOnlyBuffer();
        CRC32C crc = new CRC32C();
        crc.update(encoded);
        this.etag = Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(encoded.length);
    }

    /** The UTF-8 bytes (a read-only view; duplicate it before reading). */
    public ByteBuffer bytes() {
        return bytes;
    }

    /** A strong validator of the bytes (CRC32C and length): unique enough to tell playlist versions apart. */
    public String etag() {
        return etag;
    }

    /** The bytes gzip-compressed, made on the first call; a race may compress twice, harmlessly. */
    public ByteBuffer gzip() {
        ByteBuffer g = gzip;
        if (g == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.remaining() / 3 + 32);
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                ByteBuffer in = bytes.duplicate();
                byte[] chunk = new byte[in.remaining()];
                in.get(chunk);
                gz.write(chunk);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g = ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
            gzip = g;
        }
        return g;
    }
}
