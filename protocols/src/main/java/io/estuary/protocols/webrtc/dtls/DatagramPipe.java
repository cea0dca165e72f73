package io.estuary.protocols.webrtc.dtls;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Two {@link QueuedDatagramTransport}s wired back to back in memory, like the two ends of an ICE 5-tuple: for the
 * start-up warm-up handshake and for tests.
 */
final class DatagramPipe {
    final QueuedDatagramTransport left;
    final QueuedDatagramTransport right;

    DatagramPipe() {
        AtomicReference<QueuedDatagramTransport> leftRef = new AtomicReference<>();
        AtomicReference<QueuedDatagramTransport> rightRef = new AtomicReference<>();
        left = new QueuedDatagramTransport(1200, datagram -> rightRef.get().offer(datagram), 64);
        right = new QueuedDatagramTransport(1200, datagram -> leftRef.get().offer(datagram), 64);
        leftRef.set(left);
        rightRef.set(right);
    }
}
