package io.estuary.server.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 GET over a raw socket, timed byte by byte: when the response headers were complete, when the first
 * body byte and the last one arrived, and for a {@code Transfer-Encoding: chunked} body each chunk's size and
 * arrival. This is what tells a segment delivered while it is produced (chunks spread over the segment's duration)
 * from one sent whole, which no HTTP client library shows. Content-Length bodies and bodies delimited by the
 * connection closing are read too (then there are no chunks).
 *
 * <p>All times are {@link System#nanoTime()}. Interim 1xx responses are skipped. Malformed framing fails the probe.
 */
public final class ChunkedProbe {

    /** One chunk: its size, and when its first and last data bytes were read. */
    public record Chunk(int size, long firstByteNanos, long lastByteNanos) {
    }

    /**
     * What the GET got. {@code firstByteNanos} is -1 when the body is empty. {@code lastByteNanos} is when the
     * body ended: the terminating 0-chunk (and trailers) read, the Content-Length-th byte, or the connection's end.
     */
    public record Result(URI uri, int status, String reason, Map<String, List<String>> headers, boolean chunked,
                         long requestNanos, long headersNanos, long firstByteNanos, long lastByteNanos,
                         List<Chunk> chunks, long totalBytes, byte[] body, Map<String, List<String>> trailers) {

        /** The first value of a response header (case-insensitive name), or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public Duration timeToHeaders() {
            return Duration.ofNanos(headersNanos - requestNanos);
        }

        public Duration timeToFirstByte() {
            return firstByteNanos < 0 ? null : Duration.ofNanos(firstByteNanos - requestNanos);
        }

        public Duration timeToLastByte() {
            return Duration.ofNanos(lastByteNanos - requestNanos);
        }

        /** From the first body byte to the end of the body: near zero for a body sent whole. */
        public Duration bodySpread() {
            return firstByteNanos < 0 ? Duration.ZERO : Duration.ofNanos(lastByteNanos - firstByteNanos);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "GET %s: %d %s, %s, %d bytes, headers %.1f ms, first byte %s, last byte %.1f ms",
                    uri, status, reason, chunked ? chunks.size() + " chunks" : "not chunked", totalBytes,
                    (headersNanos - requestNanos) / 1e6,
                    firstByteNanos < 0 ? "none"
                            : String.format(Locale.ROOT, "%.1f ms", (firstByteNanos - requestNanos) / 1e6),
                    (lastByteNanos - requestNanos) / 1e6));
            for (Chunk c : chunks) {
                s.append(String.format(Locale.ROOT, "%n  chunk %6d bytes at %.1f ms", c.size(),
                        (c.firstByteNanos() - requestNanos) / 1e6));
            }
            return s.toString();
        }
    }

    /** Bound on one chunk and on the whole body (test media segments are a few MB at most). */
    static final int MAX_BODY = 64 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final long deadline;
    /** What the socket gave and the parser has not consumed yet. */
    private final byte[] buffer = new byte[16 * 1024];
    private int bufferStart;
    private int bufferEnd;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private long firstByteNanos = -1;
    private Map<String, List<String>> lastHeaders;

    private ChunkedProbe(Socket socket, InputStream in, long deadline) {
        this.socket = socket;
        this.in = in;
        this.deadline = deadline;
    }

    public static Result get(URI uri, Duration timeout) {
        return get(uri, Map.of(), timeout);
    }

    /** GETs {@code uri} (http only) with {@code headers} added to the request; fails if it takes over {@code timeout}. */
    public static Result get(URI uri, Map<String, String> headers, Duration timeout) {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("ChunkedProbe speaks plain http only: " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(uri.getPort() < 0 ? "" : ":" + port).append("\r\n")
                .append("User-Agent: estuary-chunked-probe\r\nAccept: */*\r\nConnection: close\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(1, timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            long requestNanos = System.nanoTime();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new ChunkedProbe(socket, socket.getInputStream(), deadline).read(uri, requestNanos);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("GET " + uri + ": no answer within " + timeout, e);
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        }
    }

    private Result read(URI uri, long requestNanos) throws IOException {
        String statusLine;
        do { // interim 1xx responses precede the final one
            statusLine = line();
            if (statusLine == null) {
                throw new IOException("connection closed before a status line");
            }
            headers();
        } while (statusLine.matches("HTTP/1\\.[01] 1\\d\\d.*"));
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = lastHeaders;
        long headersNanos = System.nanoTime();
        String te = lastValue(headers, "Transfer-Encoding");
        String cl = lastValue(headers, "Content-Length");
        boolean chunked = te != null && te.toLowerCase(Locale.ROOT).trim().endsWith("chunked");
        List<Chunk> chunks = new ArrayList<>();
        Map<String, List<String>> trailers = Map.of();
        if (chunked) {
            while (true) {
                String sizeLine = line();
                if (sizeLine == null) {
                    throw new IOException("connection closed before the terminating 0-chunk (after " + chunks.size()
                            + " chunks)");
                }
                int semicolon = sizeLine.indexOf(';'); // chunk extensions are allowed and ignored
                String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
                if (!hex.matches("[0-9A-Fa-f]{1,8}")) {
                    throw new IOException("malformed chunk size line '" + sizeLine + "'");
                }
                long size = Long.parseLong(hex, 16);
                if (size == 0) {
                    headers();
                    trailers = lastHeaders;
                    break;
                }
                if (size > MAX_BODY - body.size()) {
                    throw new IOException("chunk of " + size + " bytes exceeds the probe's bound");
                }
                chunks.add(data((int) size));
                String end = line();
                if (!"".equals(end)) {
                    throw new IOException("chunk data not followed by CRLF but '" + end + "'");
                }
            }
        } else if (cl != null) {
            long length = Long.parseLong(cl.trim());
            if (length > MAX_BODY) {
                throw new IOException("Content-Length " + length + " exceeds the probe's bound");
            }
            if (length > 0) {
                data((int) length);
            }
        } else if (status != 204 && status != 304) {
            untilClose();
        }
        long lastByteNanos = System.nanoTime();
        return new Result(uri, status, parts.length > 2 ? parts[2] : "", headers, chunked, requestNanos, headersNanos,
                firstByteNanos, lastByteNanos, List.copyOf(chunks), body.size(), body.toByteArray(), trailers);
    }

    /** Reads exactly {@code size} body bytes, timing the first and the last. */
    private Chunk data(int size) throws IOException {
        long first = -1;
        int remaining = size;
        while (remaining > 0) {
            if (bufferStart == bufferEnd && !fill()) {
                throw new IOException("connection closed with " + remaining + " of " + size + " bytes missing");
            }
            if (first < 0) {
                first = System.nanoTime();
                if (firstByteNanos < 0) {
                    firstByteNanos = first;
                }
            }
            int n = Math.min(remaining, bufferEnd - bufferStart);
            body.write(buffer, bufferStart, n);
            bufferStart += n;
            remaining -= n;
        }
        return new Chunk(size, first, System.nanoTime());
    }

    private void untilClose() throws IOException {
        while (bufferStart < bufferEnd || fill()) {
            if (firstByteNanos < 0) {
                firstByteNanos = System.nanoTime();
            }
            if (body.size() + bufferEnd - bufferStart > MAX_BODY) {
                throw new IOException("body exceeds the probe's bound");
            }
            body.write(buffer, bufferStart, bufferEnd - bufferStart);
            bufferStart = bufferEnd;
        }
    }

    /** Header lines up to the empty line, into {@link #lastHeaders} (names case-insensitive, values in order). */
    private void headers() throws IOException {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line '" + line + "'");
            }
            map.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        lastHeaders = map;
    }

    /** One line without its CRLF (a bare LF is tolerated); null at end of stream before any byte. */
    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            if (bufferStart == bufferEnd && !fill()) {
                return s.length() == 0 ? null : s.toString();
            }
            byte b = buffer[bufferStart++];
            if (b == '\n') {
                int len = s.length();
                return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
            }
            if (s.length() > 64 * 1024) {
                throw new IOException("line longer than 64 KiB");
            }
            s.append((char) (b & 0xff));
        }
    }

    /** Reads what the socket has (blocking until something arrives); false at end of stream. */
    private boolean fill() throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, remaining / 1_000_000));
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        bufferStart = 0;
        bufferEnd = n;
        return true;
    }

    /** The last value: with several Transfer-Encoding lines, the last names the final coding. */
    private static String lastValue(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }
}
