package dev.kdstream.client.query;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.ListenerProbe;
import picocli.CommandLine.Option;

/** The options of a command that reads (or writes) a topic: where the cluster is, and how long to wait for it. */
public final class ReaderOptions {

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up reading the topic after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see README: configuration).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    public Duration timeout() {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be >= 1 second, got " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** The configuration, with the client's security checked against what the broker speaks. */
    public KdConfig config() {
        final Map<String, String> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        }
        final KdConfig config = KdConfig.fromEnvironment(configFile, overrides);
        ListenerProbe.requireMatchingProtocol(config.kafkaProperties());
        return config;
    }
}
