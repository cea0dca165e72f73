package io.estuary.protocols.webrtc.dtls;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DtlsSession} over BouncyCastle's {@link DTLSTransport}. WHIP ingest carries no application data over DTLS
 * (no data channels), so the reader discards what it receives; it exists for what BouncyCastle does inside
 * {@code receive}: answering a retransmitted final flight and processing alerts.
 */
final class ConnectedDtlsSession implements DtlsSession {
    private static final Logger log = LoggerFactory.getLogger(ConnectedDtlsSession.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** How long one receive may block; the reader re-checks {@link #closed} this often. */
    private static final int RECEIVE_WAIT_MILLIS = 1000;

    private final DTLSTransport dtls;
    private final DatagramTransport transport;
    private final SrtpKeys keys;
    private final Thread reader;
    private volatile boolean closed;

    ConnectedDtlsSession(DTLSTransport dtls, DatagramTransport transport, SrtpKeys keys) {
        this.dtls = dtls;
        this.transport = transport;
        this.keys = keys;
        this.reader = new Thread(this::readUntilClosed, "dtls-reader-" + THREADS.incrementAndGet());
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public SrtpKeys keys() {
        return keys;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            dtls.close();
        } catch (IOException e) {
            log.debug("DTLS close_notify not sent: {}", e.toString());
        }
        closeTransport();
        if (Thread.currentThread() != reader) {
            reader.interrupt();
        }
    }

    private void readUntilClosed() {
        try {
            byte[] buf = new byte[dtls.getReceiveLimit()];
            while (!closed) {
                dtls.receive(buf, 0, buf.length, RECEIVE_WAIT_MILLIS);
            }
        } catch (IOException e) {
            // The peer's close_notify or a fatal alert closes the transport under us; either way we are done.
            if (!closed) {
                log.debug("DTLS association ended: {}", e.toString());
            }
        } finally {
            closed = true;
            closeTransport();
        }
    }

    private void closeTransport() {
        try {
            transport.close();
        } catch (IOException e) {
            log.debug("DTLS transport close failed: {}", e.toString());
        }
    }
}
