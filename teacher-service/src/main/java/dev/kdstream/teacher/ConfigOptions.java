package dev.kdstream.teacher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --bootstrap-servers}, as every service command takes them. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (keys as in the README; KD_* environment variables win over it).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: bootstrap.servers, else localhost:9092).")
    String bootstrapServers;

    /** The config from the file, the environment, these options and {@code overrides}, later ones winning. */
    public KdConfig load(final Map<String, String> overrides) {
        final Map<String, String> all = new HashMap<>();
        if (bootstrapServers != null) {
            all.put(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        }
        all.putAll(overrides);
        return KdConfig.fromEnvironment(configFile, all);
    }
}
