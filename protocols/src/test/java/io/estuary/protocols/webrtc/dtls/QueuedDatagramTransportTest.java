package io.estuary.protocols.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class QueuedDatagramTransportTest {

    @Test
    void datagramsArriveInOrderAndTimeoutsReturnMinusOne() throws IOException {
        QueuedDatagramTransport transport = new QueuedDatagramTransport(1200, datagram -> { }, 4);
        assertTrue(transport.offer(new byte[] {22, 1}));
        assertTrue(transport.offer(new byte[] {22, 2, 3}));
        byte[] buf = new byte[transport.getReceiveLimit() + 2];
        assertEquals(2, transport.receive(buf, 2, transport.getReceiveLimit(), 10));
        assertArrayEquals(new byte[] {22, 1}, new byte[] {buf[2], buf[3]});
        assertEquals(3, transport.receive(buf, 0, buf.length, 10));
        assertEquals(-1, transport.receive(buf, 0, buf.length, 10));
    }

    @Test
    void theQueueIsBoundedInDatagramsAndBytesAndCountsWhatItRefuses() {
        QueuedDatagramTransport transport = new QueuedDatagramTransport(1200, datagram -> { }, 2);
        assertTrue(transport.offer(new byte[10]));
        assertTrue(transport.offer(new byte[10]));
        assertFalse(transport.offer(new byte[10]));
        assertFalse(transport.offer(new byte[transport.getReceiveLimit() + 1]));
        assertFalse(transport.offer(new byte[0]));
        assertEquals(3, transport.dropped());
        assertEquals(1472, transport.getReceiveLimit());
        assertEquals(1200, transport.getSendLimit());
    }

    @Test
    void sendCopiesWithinTheMtu() throws IOException {
        List<byte[]> sent = new ArrayList<>();
        QueuedDatagramTransport transport = new QueuedDatagramTransport(1200, sent::add, 2);
        byte[] record = {9, 22, 23, 24, 9};
        transport.send(record, 1, 3);
        record[1] = 0;
        assertArrayEquals(new byte[] {22, 23, 24}, sent.get(0));
        assertThrows(IOException.class, () -> transport.send(new byte[1201], 0, 1201));
    }

    @Test
    void closeWakesABlockedReceiverAndRefusesMore() throws Exception {
        QueuedDatagramTransport transport = new QueuedDatagramTransport(1200, datagram -> { }, 2);
        CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                return transport.receive(new byte[1500], 0, 1500, 60_000);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        transport.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> receiver.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getCause() instanceof IOException);
        assertFalse(transport.offer(new byte[10]));
        assertThrows(IOException.class, () -> transport.send(new byte[10], 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new QueuedDatagramTransport(100, datagram -> { }, 2));
        assertThrows(IllegalArgumentException.class, () -> new QueuedDatagramTransport(1200, datagram -> { }, 0));
    }
}
