package io.estuary.protocols.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.estuary.media.router.StreamRegistry;
import io.estuary.protocols.auth.StreamKeyAuthorizer;
import com.typesafe.config.ConfigFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;
import org.slf4j.LoggerFactory;

/** Hostile input through the whole pipeline: each case closes its own connection with one WARN naming why. */
class BadInputTest {
    private static EventLoopGroup group;
    private static Channel server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        RtmpConfig config = new RtmpConfig(0, 64 * 1024, 4096, 2_500_000, Duration.ofSeconds(5), Duration.ofSeconds(5), 10);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new RtmpServerInitializer(config, new StreamRegistry(),
                        StreamKeyAuthorizer.from(ConfigFactory.empty())))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    /** A connect command whose AMF0 string claims 0x1000 bytes but the message holds 5. */
    private static byte[] lyingAmfString() {
        return lyingAmfString(20, "conne");
    }

    /** A message of {@code typeId} whose AMF0 string claims 0x1000 bytes but the message holds {@code text}. */
    private static byte[] lyingAmfString(int typeId, String text) {
        ByteBuf amf = Unpooled.buffer().writeByte(0x02).writeShort(0x1000).writeBytes(text.getBytes());
        ByteBuf chunk = Unpooled.buffer().writeByte(0x03).writeMedium(0).writeMedium(amf.readableBytes())
                .writeByte(typeId).writeIntLE(0).writeBytes(amf);
        amf.release();
        byte[] out = ByteBufUtil.getBytes(chunk);
        chunk.release();
        return out;
    }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("garbage", hex("ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff"), "chunk type 3"),
                // Set Chunk Size 0: csid 2, type 0, length 4, type id 1, stream 0, value 0
                Arguments.of("chunk size 0", hex("02 000000 000004 01 00000000 00000000"), "chunk size 0"),
                Arguments.of("chunk size > 2^31-1", hex("02 000000 000004 01 00000000 80000001"), "chunk size"),
                Arguments.of("AMF string longer than its message", lyingAmfString(), "longer than"),
                // Video message of 0x100000 bytes with a 64 KiB limit
                Arguments.of("message longer than max", hex("04 000000 100000 09 01000000"), "exceeds the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void closesConnectionAndLogsReason(String name, byte[] afterHandshake, String reason) throws Exception {
        String line = onlyWarningAfter(afterHandshake,
                (s, in) -> assertEquals(-1, drain(in), "server closed the connection"));
        assertTrue(line.contains(reason) && line.contains("127.0.0.1"), line);
    }

    @Test
    void aDataMessageThatDoesNotParseIsSkippedAndTheConnectionStays() throws Exception {
        // Metadata is optional: a data message that does not parse is no reason to drop a publisher.
        String line = onlyWarningAfter(lyingAmfString(18, "@setD"), (s, in) -> {
            s.setSoTimeout(1000);
            assertThrows(SocketTimeoutException.class, () -> in.read(new byte[4096]), "the connection stays open");
        });
        assertTrue(line.contains("skipping a data message"), line);
    }

    /** What a test checks on the connection once its bytes are sent. */
    private interface ConnectionCheck {
        void check(Socket socket, InputStream in) throws Exception;
    }

    /**
     * Completes a plain handshake, sends {@code afterHandshake}, runs {@code check}, and returns the one WARN line
     * the session logged; no buffer may leak meanwhile.
     */
    private static String onlyWarningAfter(byte[] afterHandshake, ConnectionCheck check) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(RtmpSessionHandler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (LeakWatcher leaks = LeakWatcher.attach(); Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(3);
            out.write(new byte[1536]);
            in.readFully(new byte[1 + 2 * 1536]);
            out.write(new byte[1536]); // C2
            out.write(afterHandshake);
            out.flush();
            check.check(s, in);
            Thread.sleep(50);
            List<ILoggingEvent> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size(), () -> "one warning: " + appender.list);
            leaks.assertNoLeaks();
            return warnings.get(0).getFormattedMessage();
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static int drain(InputStream in) throws Exception {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (n == 0) {
                return 0;
            }
        }
        return -1;
    }
}
