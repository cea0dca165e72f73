package io.estuary.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.estuary.media.router.StreamKey;
import io.estuary.media.router.StreamRegistry;
import io.estuary.packager.PackagerConfig;
import io.estuary.packager.dash.DashConfig;
import io.estuary.packager.drm.DrmConfig;
import io.estuary.packager.drm.keys.StreamKeys;
import io.estuary.packager.hls.HlsStream;
import io.estuary.packager.hls.LatencyStats;
import io.estuary.protocols.auth.StreamKeyAuthorizer;
import io.estuary.protocols.webrtc.ice.IceException;
import io.estuary.protocols.whip.WhipConfig;
import io.estuary.protocols.whip.WhipService;
import io.estuary.protocols.rtmp.RtmpConfig;
import io.estuary.protocols.rtmp.RtmpServerInitializer;
import io.estuary.server.api.Api;
import io.estuary.server.api.ServerFacts;
import io.estuary.server.api.StreamDetails;
import io.estuary.server.auth.BearerAuth;
import io.estuary.server.console.ConsoleAssets;
import io.estuary.server.drm.ClearKeyLicenses;
import io.estuary.server.http.HealthChecks;
import io.estuary.server.http.HttpConfig;
import io.estuary.server.http.HttpRouter;
import io.estuary.server.http.HttpServerInitializer;
import io.estuary.server.metrics.MetricsConfig;
import io.estuary.server.metrics.ServerMetrics;
import io.estuary.server.streams.StreamPackagers;
import io.estuary.transcoder.TranscoderConfig;
import io.estuary.transcoder.Transcoders;
import io.estuary.server.streams.StreamsConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: reads its configuration once, wires ingest, packaging and playback together, and binds
 * the listeners. Consumers are wired before producers (packagers listen to the registry before RTMP binds), so
 * no frame is published before someone can package it.
 */
public final class EstuaryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EstuaryServer.class);
    /** This build's version (from the Maven project). */
    public static final String VERSION = version();

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final StreamPackagers packagers;
    private final Transcoders transcoders;
    private final ExecutorService adminExecutor;
    private final ExecutorService whipExecutor;
    private final WhipService whip;
    private final Channel httpChannel;
    private final Channel rtmpChannel;
    private volatile boolean ready;
    private volatile ServerFacts facts;

    private EstuaryServer(Config config) throws InterruptedException, SSLException {
        Instant startedAt = Instant.now();
        HttpConfig httpConfig = HttpConfig.from(config);
        RtmpConfig rtmpConfig = RtmpConfig.from(config);
        PackagerConfig packagerConfig = PackagerConfig.from(config);
        DashConfig dashConfig = DashConfig.from(config);
        StreamsConfig streamsConfig = StreamsConfig.from(config);
        MetricsConfig metricsConfig = MetricsConfig.from(config);
        String apiToken = config.getString("estuary.api.token");
        StreamKeyAuthorizer authorizer = StreamKeyAuthorizer.from(config);
        SslContext ssl = httpConfig.tlsEnabled() ? sslContext(httpConfig) : null;

        if (authorizer.isOpen()) {
            log.warn("No stream keys configured (estuary.publish.keys): anyone who can reach the RTMP port may "
                    + "publish. Configure keys before exposing this server.");
        }
        ServerMetrics metrics = new ServerMetrics(metricsConfig, VERSION);
        // Two registries: what publishers send (ingest), and what is packaged (the transcoder's renditions, or
        // the ingest relayed as it is). Listeners first, so no frame is published before it can be packaged.
        StreamRegistry registry = new StreamRegistry();
        StreamRegistry renditions = new StreamRegistry();
        DrmConfig drmConfig = DrmConfig.from(config);
        StreamKeys streamKeys = StreamKeys.create(drmConfig);
        packagers = new StreamPackagers(packagerConfig, streamsConfig, Clock.systemUTC(),
                metrics.partLatencyObserver(), streamKeys);
        renditions.addListener(packagers);
        transcoders = new Transcoders(TranscoderConfig.from(config)
                .withDefaultKeyframeInterval(packagerConfig.segmentTarget()), renditions);
        registry.addListener(transcoders);
        metrics.bindStreams(registry, packagers, transcoders);
        ObjectMapper json = new ObjectMapper();
        JsonNode maskedConfig = ServerFacts.maskedConfig(config, json);
        adminExecutor = adminExecutor();
        whipExecutor = boundedExecutor("whip", 2, 64);
        try {
            whip = startWhip(WhipConfig.from(config).withDefaultKeyframeInterval(packagerConfig.segmentTarget()),
                    registry, authorizer);
        } catch (RuntimeException e) {
            adminExecutor.shutdownNow();
            whipExecutor.shutdownNow();
            packagers.close();
            throw e;
        }
        metrics.bindWhip(whip);
        WhipService whipService = whip;
        Api api = new Api(apiToken, registry, packagers, () -> facts, Clock.systemUTC(), json, new StreamDetails(
                key -> whipService == null ? java.util.Optional.empty() : whipService.session(key),
                transcoders::session));
        HealthChecks health = new HealthChecks();
        health.add("listeners", () -> ready ? null : "listeners are not bound (starting or stopping)");

        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            HttpRouter router = new HttpRouter(packagers, httpConfig, dashConfig, metrics.http(), health,
                    new OperatorRoutes(metrics, api, ConsoleAssets.load()), adminExecutor,
                    new ClearKeyLicenses(new BearerAuth(drmConfig.licenseToken(), "the license token",
                            "estuary.drm.license.token"), streamKeys::keyById), whip, whipExecutor);
            httpChannel = bind(httpConfig.host(), httpConfig.port(),
                    new HttpServerInitializer(ssl, router, httpConfig));
            rtmpChannel = bind(httpConfig.host(), rtmpConfig.port(),
                    new RtmpServerInitializer(rtmpConfig, registry, authorizer, metrics.rtmp()));
        } catch (InterruptedException | RuntimeException e) {
            shutdownGroups();
            adminExecutor.shutdownNow();
            whipExecutor.shutdownNow();
            if (whip != null) {
                whip.close();
            }
            packagers.close();
            throw e;
        }
        facts = new ServerFacts(VERSION, startedAt, httpConfig.host() + ":" + httpPort(), ssl != null,
                httpConfig.host() + ":" + rtmpPort(), rtmpPort(), maskedConfig);
        ready = true;
        log.info("Listening: HTTP{} on {}, RTMP on {}, WHIP media on {}",
                ssl != null ? "S (h2, http/1.1)" : " (http/1.1, h2c)", httpChannel.localAddress(),
                rtmpChannel.localAddress(), whip == null ? "(disabled)" : "UDP port " + whip.udpPort());
    }

    /**
     * One thread for the operator routes (scrapes, API listings): they walk every stream, so they stay off the
     * event loops. Bounded: a flood of scrapes gets 503s, not a growing queue.
     */
    private static ExecutorService adminExecutor() {
        return boundedExecutor("admin", 1, 64);
    }

    /** Threads for blocking request work, with a bounded queue: a flood gets 503s, not a growing backlog. */
    private static ExecutorService boundedExecutor(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The WHIP ingest, or null when disabled; its UDP port taken is reported like a TCP listener's. */
    private static WhipService startWhip(WhipConfig config, StreamRegistry registry, StreamKeyAuthorizer auth) {
        if (!config.enabled()) {
            return null;
        }
        try {
            return new WhipService(config, registry, auth);
        } catch (IceException e) {
            throw new ListenException("cannot start WHIP on UDP port " + config.ice().port() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String version() {
        try (InputStream in = EstuaryServer.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Starts a server from a resolved configuration (see {@code reference.conf} of each module). */
    public static EstuaryServer start(Config config) {
        try {
            return new EstuaryServer(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot load the TLS certificate or key: " + e.getMessage(), e);
        }
    }

    /** Binds a listener; a port in use (or a host not ours) is reported naming the address, not as a trace. */
    private Channel bind(String host, int port, io.netty.channel.ChannelHandler initializer)
            throws InterruptedException {
        ChannelFuture bound = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(host, port).await();
        if (!bound.isSuccess()) {
            throw new ListenException("cannot listen on " + host + ":" + port + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        return bound.channel();
    }

    /** A listener could not be bound (the port is taken, or the address is not this machine's). */
    public static final class ListenException extends IllegalStateException {
        ListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static SslContext sslContext(HttpConfig config) throws SSLException {
        return SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsPrivateKey().toFile())
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    public int httpPort() {
        return ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    /** The UDP port of WHIP media, or -1 when WHIP is disabled. */
    public int whipUdpPort() {
        return whip == null ? -1 : whip.udpPort();
    }

    public int rtmpPort() {
        return ((InetSocketAddress) rtmpChannel.localAddress()).getPort();
    }

    /** Ingest-to-part-available latency of a stream, or null when the stream is unknown. */
    public LatencyStats partLatency(StreamKey key) {
        return packagers.hls(key).map(HlsStream::partLatency).orElse(null);
    }

    @Override
    public void close() {
        // Not ready first: a load balancer polling /readyz stops sending viewers before the listeners go.
        ready = false;
        adminExecutor.shutdownNow();
        httpChannel.close().syncUninterruptibly();
        whipExecutor.shutdownNow();
        if (whip != null) {
            whip.close(); // ends every WHIP session (their streams end with them) and frees the UDP port
        }
        rtmpChannel.close().syncUninterruptibly();
        shutdownGroups();
        packagers.close();
        log.info("Stopped");
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
