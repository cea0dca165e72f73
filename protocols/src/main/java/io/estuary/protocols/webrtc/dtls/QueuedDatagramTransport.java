package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.bouncycastle.tls.DatagramTransport;

/**
 * Adapts the WHIP session's muxed ICE socket to BouncyCastle's blocking {@link DatagramTransport}.
 *
 * <p>The session's demultiplexer {@link #offer offers} every datagram whose first byte is 20..63 (DTLS, RFC 7983
 * §7) from whatever thread reads the socket; the DTLS thread takes them in {@link #receive}. The queue is bounded
 * in datagrams and each datagram in bytes, so a peer flooding DTLS records costs at most
 * {@code capacity * receiveLimit} bytes; what does not fit is dropped and counted, which DTLS tolerates (it
 * retransmits its flights).
 */
public final class QueuedDatagramTransport implements DatagramTransport {
    /** The largest datagram we accept: an Ethernet frame's UDP payload, above any DTLS MTU a browser uses. */
    private static final int MIN_RECEIVE_LIMIT = 1472;
    /** Below this a DTLS handshake needs absurdly many fragments; real paths carry at least 576-byte packets. */
    private static final int MIN_MTU = 256;
    private static final byte[] CLOSED = new byte[0];

    private final int mtu;
    private final int receiveLimit;
    private final Consumer<byte[]> sender;
    private final BlockingQueue<byte[]> inbound;
    private final int capacityLimit;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param mtu      the largest datagram we send, in bytes of UDP payload (1200 is what browsers use for DTLS)
     * @param sender   sends one datagram to the peer over the ICE 5-tuple; it gets a fresh array it may keep. It is
     *                 called from the handshake thread and, afterwards, from the session's DTLS reader thread, so
     *                 it must be thread-safe and must not block for long
     * @param capacity how many received datagrams may wait for the DTLS thread
     */
    public QueuedDatagramTransport(int mtu, Consumer<byte[]> sender, int capacity) {
        if (mtu < MIN_MTU || mtu > 65507) {
            throw new IllegalArgumentException("mtu must be " + MIN_MTU + "..65507 bytes, got " + mtu);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 datagram, got " + capacity);
        }
        this.mtu = mtu;
        this.receiveLimit = Math.max(mtu, MIN_RECEIVE_LIMIT);
        this.sender = Objects.requireNonNull(sender, "sender");
        // One slot more than the capacity, so that close() can always wake the receiver.
        this.inbound = new ArrayBlockingQueue<>(capacity + 1);
        this.capacityLimit = capacity;
    }

    /**
     * Queues one received DTLS datagram; the transport takes ownership of the array.
     *
     * @return false, and counts a drop, when the queue is full, the datagram is empty or larger than the receive
     *         limit, or the transport is closed
     */
    public boolean offer(byte[] datagram) {
        if (closed || datagram.length == 0 || datagram.length > receiveLimit || inbound.size() >= capacityLimit
                || !inbound.offer(datagram)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Datagrams refused by {@link #offer}. */
    public long dropped() {
        return dropped.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return mtu;
    }

    /**
     * Waits up to {@code waitMillis} for a datagram.
     *
     * @return its length, or -1 when none came in time (BouncyCastle then retransmits its last flight)
     * @throws IOException once the transport is closed, so that a blocked handshake or reader ends at once
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] datagram;
        try {
            datagram = inbound.poll(Math.max(waitMillis, 0), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED || closed) {
            throw new IOException("DTLS transport closed");
        }
        if (datagram.length > len) {
            // Cannot happen with BouncyCastle, which always offers getReceiveLimit() bytes; drop rather than truncate.
            dropped.incrementAndGet();
            return -1;
        }
        System.arraycopy(datagram, 0, buf, off, datagram.length);
        return datagram.length;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        if (len > mtu) {
            throw new IOException("DTLS datagram of " + len + " bytes exceeds the MTU of " + mtu);
        }
        byte[] datagram = new byte[len];
        System.arraycopy(buf, off, datagram, 0, len);
        sender.accept(datagram);
    }

    /** Closes the transport: queued datagrams are discarded and a blocked {@link #receive} throws. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inbound.clear();
            inbound.offer(CLOSED);
        }
    }
}
