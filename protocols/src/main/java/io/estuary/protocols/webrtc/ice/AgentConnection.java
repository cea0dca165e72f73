package io.estuary.protocols.webrtc.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.ice.Component;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferHandler;
import org.ice4j.util.BufferPool;
import org.jetbrains.annotations.NotNull;

/**
 * The {@link IceConnection} of one session. ice4j's harvester thread pushes payload datagrams in
 * ({@link #handleBuffer}); they wait in a bounded queue for the session thread's {@link #receive}. A full queue drops
 * the new datagram and counts it: the harvester thread serves every session and must never wait for one.
 */
final class AgentConnection implements IceConnection, BufferHandler {

    /** About 1.5 s of a 4 Mbit/s publish in 1200-byte packets (at most 768 KB); the reader never falls that far behind. */
    static final int QUEUE_CAPACITY = 512;

    /** Tells a receiver blocked in {@link #receive} that the connection closed. */
    private static final byte[] CLOSED = new byte[0];

    /** More addresses than an offer may hold candidates; a hostile peer cannot grow the set beyond it. */
    static final int MAX_AUTHENTICATED_SOURCES = 2 * IceSession.MAX_REMOTE_CANDIDATES;

    private final Component component;
    private final LongAdder strays;
    private final Set<InetSocketAddress> authenticated = ConcurrentHashMap.newKeySet();
    private final long consentTimeoutNanos;
    private final Runnable closeSession;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final LongAdder dropped = new LongAdder();
    /**
     * Datagrams from an address whose binding request ice4j is still checking: a peer whose check succeeded sends
     * its DTLS ClientHello at once, and it may overtake the check's processing here. Dropped, it would cost the
     * peer's DTLS retransmission timer (a second). Held instead, and handed on only if the address authenticates.
     */
    private final Map<InetSocketAddress, List<byte[]>> unverified = new HashMap<>();
    static final int MAX_UNVERIFIED_SOURCES = 4;
    static final int MAX_UNVERIFIED_DATAGRAMS = 8;

    private volatile InetSocketAddress remote;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean consentExpired;
    private volatile boolean closed;

    AgentConnection(Component component, long consentTimeoutNanos, LongAdder strays, Runnable closeSession) {
        this.component = component;
        this.strays = strays;
        this.consentTimeoutNanos = consentTimeoutNanos;
        this.closeSession = closeSession;
    }

    /**
     * Called by ice4j's harvester thread for every non-STUN datagram from an address that sent this session a binding
     * request. Only addresses whose requests passed MESSAGE-INTEGRITY count: the ufrag alone is no secret.
     */
    @Override
    public void handleBuffer(@NotNull Buffer buffer) {
        try {
            if (!(buffer.getRemoteAddress() instanceof InetSocketAddress from)) {
                strays.increment();
                return;
            }
            byte[] copy = new byte[buffer.getLength()];
            System.arraycopy(buffer.getBuffer(), buffer.getOffset(), copy, 0, copy.length);
            synchronized (unverified) {
                if (!authenticated.contains(plain(from))) {
                    hold(plain(from), copy);
                    return;
                }
            }
            heard();
            enqueue(copy);
        } finally {
            BufferPool.returnBuffer.invoke(buffer);
        }
    }

    /** Proof of life from the remote: a datagram, an authenticated STUN request, or a consent check answered. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** An authenticated binding request came from this address: its datagrams are the peer's. */
    void authenticated(InetSocketAddress from) {
        heard();
        InetSocketAddress address = plain(from);
        synchronized (unverified) {
            if (authenticated.size() < MAX_AUTHENTICATED_SOURCES) {
                authenticated.add(address);
            }
            List<byte[]> held = unverified.remove(address);
            if (held != null && authenticated.contains(address)) {
                held.forEach(this::enqueue);
            }
        }
    }

    /** Holds a datagram of an address not (yet) authenticated; beyond the bounds it is a stray. */
    private void hold(InetSocketAddress from, byte[] datagram) {
        List<byte[]> held = unverified.get(from);
        if (held == null && unverified.size() < MAX_UNVERIFIED_SOURCES) {
            held = new ArrayList<>(MAX_UNVERIFIED_DATAGRAMS);
            unverified.put(from, held);
        }
        if (held != null && held.size() < MAX_UNVERIFIED_DATAGRAMS) {
            held.add(datagram);
        } else {
            strays.increment();
        }
    }

    private void enqueue(byte[] datagram) {
        if (!closed && !queue.offer(datagram)) {
            dropped.increment();
        }
    }

    /** A pair is selected: consent is counted from now. */
    void connected(InetSocketAddress remoteAddress) {
        authenticated(remoteAddress);
        remote = remoteAddress;
    }

    long droppedDatagrams() {
        return dropped.sum();
    }

    @Override
    public int receive(byte[] buf, int timeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("ICE connection closed");
        }
        byte[] datagram;
        try {
            datagram = queue.poll(Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a datagram", e);
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED || closed) {
            throw new IOException("ICE connection closed");
        }
        int n = Math.min(datagram.length, buf.length);
        System.arraycopy(datagram, 0, buf, 0, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("ICE connection closed");
        }
        if (consentExpired()) {
            // RFC 7675 section 5.1: without consent an agent must stop sending on the pair.
            throw new IOException("ICE consent expired: nothing heard from " + remote + " for "
                    + TimeUnit.NANOSECONDS.toMillis(consentTimeoutNanos) + " ms");
        }
        component.send(buf, off, len);
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public boolean consentExpired() {
        if (!consentExpired && remote != null && System.nanoTime() - lastHeardNanos > consentTimeoutNanos) {
            consentExpired = true; // lost consent is not regained (RFC 7675 section 5.1)
        }
        return consentExpired;
    }

    /** ice4j's TransportAddress is an InetSocketAddress subclass; compare plain address and port only. */
    private static InetSocketAddress plain(InetSocketAddress a) {
        return new InetSocketAddress(a.getAddress(), a.getPort());
    }

    @Override
    public void close() {
        closeSession.run();
    }

    /** Called by the session when it closes: wakes a blocked receiver and frees queued datagrams. */
    void shutDown() {
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
        synchronized (unverified) {
            // Held for an address that never authenticated: strays after all.
            unverified.values().forEach(held -> strays.add(held.size()));
            unverified.clear();
        }
    }
}
