package io.estuary.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the server: {@code java -jar estuary-server.jar [application.conf]}. Without a file it runs on the
 * defaults of each module's {@code reference.conf}; system properties ({@code -Destuary.http.port=9090})
 * override both.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = load(args);
            chooseLogFormat(config.getString("estuary.log.format"));
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        EstuaryServer server;
        try {
            server = EstuaryServer.start(config);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (EstuaryServer.ListenException e) {
            System.err.println(e.getMessage() + " (set estuary.http.port / estuary.rtmp.port, e.g. "
                    + "JAVA_OPTS=-Destuary.http.port=9090)");
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }

    /**
     * Picks the Logback configuration of the format. Must run before the first logger is made: Logback reads its
     * configuration once, at its first use. An explicit -Dlogback.configurationFile wins.
     */
    static void chooseLogFormat(String format) {
        switch (format) {
            case "text" -> { }
            case "json" -> {
                if (System.getProperty("logback.configurationFile") == null) {
                    System.setProperty("logback.configurationFile", "logback-json.xml");
                }
            }
            default -> throw new IllegalArgumentException(
                    "estuary.log.format must be \"text\" or \"json\", not \"" + format + "\"");
        }
    }

    static Config load(String[] args) {
        if (args.length > 1) {
            throw new IllegalArgumentException("usage: estuary-server [application.conf]");
        }
        if (args.length == 1) {
            Path file = Path.of(args[0]);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read configuration file " + file);
            }
            return ConfigFactory.load(ConfigFactory.parseFile(file.toFile()));
        }
        return ConfigFactory.load();
    }
}
