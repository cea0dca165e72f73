package io.estuary.server.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;

/**
 * A hand-rolled RTMP client on a plain socket, to send the server what no real encoder would: a correct plain
 * handshake followed by hostile chunks and messages.
 */
public final class RtmpRawClient implements AutoCloseable {

    public static final int HANDSHAKE_SIZE = 1536;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RtmpRawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RtmpRawClient connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5000);
        return new RtmpRawClient(socket);
    }

    /** C0 (version 3) + C1, read S0 S1 S2, send C2 (the echo of S1). */
    public void handshake() throws IOException {
        byte[] c1 = new byte[HANDSHAKE_SIZE];
        new Random(7).nextBytes(c1);
        // time (4 bytes) and zero (4 bytes) as in the plain handshake
        for (int i = 0; i < 8; i++) {
            c1[i] = 0;
        }
        ByteArrayOutputStream c0c1 = new ByteArrayOutputStream();
        c0c1.write(3);
        c0c1.writeBytes(c1);
        out.write(c0c1.toByteArray());
        out.flush();
        DataInputStream data = new DataInputStream(in);
        int s0 = data.readUnsignedByte();
        if (s0 != 3) {
            throw new IOException("S0 is " + s0 + ", expected 3");
        }
        byte[] s1 = new byte[HANDSHAKE_SIZE];
        data.readFully(s1);
        byte[] s2 = new byte[HANDSHAKE_SIZE];
        data.readFully(s2);
        out.write(s1);
        out.flush();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Sends what it can; a server that already closed makes writes fail, which is an acceptable outcome for
     * hostile input (the test then only checks that the socket is closed).
     */
    public void sendQuietly(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException ignored) {
            // the server closed first
        }
    }

    /**
     * Reads (and discards whatever the server sends, such as Window Acknowledgement Size) until end of stream.
     * Returns true if the server closed the connection within {@code timeout}; a reset counts as closed.
     */
    public boolean awaitClosedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) Math.min(left, 500));
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (SocketException e) {
                return true; // connection reset by the server
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- chunk and message builders -------------------------------------------------------------------------

    /** A type-0 chunk header (basic header for csid 2..63, then timestamp, length, type id, stream id LE). */
    public static byte[] type0Header(int csid, int timestamp, int length, int typeId, int streamId) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(csid & 0x3F);
        write24(b, timestamp);
        write24(b, length);
        b.write(typeId);
        b.write(streamId & 0xFF);
        b.write((streamId >>> 8) & 0xFF);
        b.write((streamId >>> 16) & 0xFF);
        b.write((streamId >>> 24) & 0xFF);
        return b.toByteArray();
    }

    /** Protocol control message 1, Set Chunk Size, on chunk stream 2. */
    public static byte[] setChunkSize(long size) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(type0Header(2, 0, 4, 1, 0));
        b.write((int) (size >>> 24) & 0xFF);
        b.write((int) (size >>> 16) & 0xFF);
        b.write((int) (size >>> 8) & 0xFF);
        b.write((int) size & 0xFF);
        return b.toByteArray();
    }

    /**
     * An AMF0 command message (type 20) whose first value, the command name string, claims {@code claimedLength}
     * bytes while the whole message is only {@code messageLength} bytes long.
     */
    public static byte[] connectWithOverlongString(int claimedLength, int messageLength) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x02); // AMF0 string marker
        payload.write((claimedLength >>> 8) & 0xFF);
        payload.write(claimedLength & 0xFF);
        byte[] name = "connect".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        payload.writeBytes(name);
        while (payload.size() < messageLength) {
            payload.write(0x05); // AMF0 null markers as filler
        }
        byte[] body = payload.toByteArray();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(type0Header(3, 0, body.length, 20, 0));
        b.writeBytes(body); // below the default chunk size of 128: one chunk
        return b.toByteArray();
    }

    /** A video message header announcing {@code length} bytes, followed by one chunk (128 bytes) of payload. */
    public static byte[] oversizedMessage(int length) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(type0Header(4, 0, length, 9, 1));
        b.writeBytes(new byte[128]);
        return b.toByteArray();
    }

    /** Seeded junk starting with a type-3 chunk on a chunk stream that never had a header. */
    public static byte[] garbage(int size) {
        byte[] junk = new byte[size];
        new Random(42).nextBytes(junk);
        junk[0] = (byte) 0xC5; // fmt 3, csid 5
        return junk;
    }

    private static void write24(ByteArrayOutputStream b, int v) {
        b.write((v >>> 16) & 0xFF);
        b.write((v >>> 8) & 0xFF);
        b.write(v & 0xFF);
    }
}
