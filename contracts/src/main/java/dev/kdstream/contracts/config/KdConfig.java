package dev.kdstream.contracts.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.kdstream.contracts.kafka.TopicNames;

/**
 * A service's configuration, resolved once at start. Later sources win:
 * defaults, then a properties file, then {@code KD_*} environment variables, then command-line
 * overrides. So the same service runs unchanged against the embedded broker, docker compose, or
 * a user's own cluster.
 *
 * <p>Kafka client properties (security settings and the like) pass straight through: a file key
 * {@code kafka.security.protocol=SSL} or an environment variable
 * {@code KD_KAFKA_SECURITY_PROTOCOL=SSL} becomes the client property {@code security.protocol}.
 */
public final class KdConfig {

    /** File keys with this prefix are Kafka client properties. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Environment variables with this prefix are Kafka client properties. */
    public static final String KAFKA_ENV_PREFIX = "KD_KAFKA_";
    /** The environment variable naming the properties file. */
    public static final String CONFIG_FILE_ENV = "KD_CONFIG";

    private final Map<ConfigKey, String> values;
    private final Properties kafka;

    private KdConfig(final Map<ConfigKey, String> values, final Properties kafka) {
        this.values = values;
        this.kafka = kafka;
    }

    /** Defaults only (tests). */
    public static KdConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /** From the process environment, {@code KD_CONFIG} (or {@code file}) and overrides. */
    public static KdConfig fromEnvironment(final Path file, final Map<String, String> overrides) {
        final Map<String, String> env = System.getenv();
        return load(configFile(file, env), env, overrides);
    }

    /** {@code file}, else {@code KD_CONFIG}'s; none when neither is set, or {@code KD_CONFIG} is empty (unset in compose). */
    static Path configFile(final Path file, final Map<String, String> env) {
        if (file != null) {
            return file;
        }
        final String named = env.get(CONFIG_FILE_ENV);
        return named == null || named.isBlank() ? null : Path.of(named.trim());
    }

    /**
     * @param file      a properties file, or null
     * @param env       environment variables
     * @param overrides file-style keys ({@code topic.features}, {@code kafka.acks}) that win over all
     */
    public static KdConfig load(final Path file, final Map<String, String> env, final Map<String, String> overrides) {
        final Map<String, String> merged = new LinkedHashMap<>();
        if (file != null) {
            merged.putAll(readFile(file));
        }
        for (final ConfigKey k : ConfigKey.values()) {
            if (env.containsKey(k.env())) {
                merged.put(k.key(), env.get(k.env()));
            }
        }
        for (final Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(KAFKA_ENV_PREFIX)) {
                merged.put(KAFKA_PREFIX + e.getKey().substring(KAFKA_ENV_PREFIX.length())
                        .toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
            }
        }
        merged.putAll(overrides);

        final Map<ConfigKey, String> values = new LinkedHashMap<>();
        for (final ConfigKey k : ConfigKey.values()) {
            values.put(k, merged.getOrDefault(k.key(), k.defaultValue()).trim());
        }
        final Properties kafka = new Properties();
        for (final Map.Entry<String, String> e : merged.entrySet()) {
            if (e.getKey().startsWith(KAFKA_PREFIX)) {
                kafka.put(e.getKey().substring(KAFKA_PREFIX.length()), e.getValue());
            }
        }
        return new KdConfig(values, kafka);
    }

    private static Map<String, String> readFile(final Path file) {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file not found: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        final Map<String, String> m = new LinkedHashMap<>();
        for (final String name : p.stringPropertyNames()) {
            m.put(name, p.getProperty(name));
        }
        return m;
    }

    public String get(final ConfigKey key) {
        return values.get(key);
    }

    public int getInt(final ConfigKey key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.key() + " (" + key.env() + ") must be an integer, got '"
                    + get(key) + "'");
        }
    }

    public long getLong(final ConfigKey key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.key() + " (" + key.env() + ") must be an integer, got '"
                    + get(key) + "'");
        }
    }

    /** A finite number. */
    public double getDouble(final ConfigKey key) {
        final double v;
        try {
            v = Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.key() + " (" + key.env() + ") must be a number, got '"
                    + get(key) + "'");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(key.key() + " (" + key.env() + ") must be a finite number, got "
                    + get(key));
        }
        return v;
    }

    public boolean getBoolean(final ConfigKey key) {
        return Boolean.parseBoolean(get(key));
    }

    /** The port, or {@code serviceDefault} when none is configured. */
    public int metricsPort(final int serviceDefault) {
        return get(ConfigKey.METRICS_PORT).isEmpty() ? serviceDefault : getInt(ConfigKey.METRICS_PORT);
    }

    /** {@link #metricsPort} on {@code metrics.bind}. */
    public InetSocketAddress metricsAddress(final int serviceDefaultPort) {
        return new InetSocketAddress(metricsBind(), metricsPort(serviceDefaultPort));
    }

    /** The address the metrics endpoints listen on ({@code metrics.bind}). */
    public InetAddress metricsBind() {
        final String bind = get(ConfigKey.METRICS_BIND);
        try {
            // a literal address only: a host name would be looked up, and could name another interface
            if (!bind.matches("[0-9.]+") && !bind.contains(":")) {
                throw new UnknownHostException(bind);
            }
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ConfigKey.METRICS_BIND.key() + " (" + ConfigKey.METRICS_BIND.env()
                    + ") must be an IP address such as 127.0.0.1 or 0.0.0.0, got '" + bind + "'");
        }
    }

    /**
     * {@code instance.id}, else one derived from the host name and the state directory: stable across
     * restarts, and distinct for instances on one host as long as their state directories differ
     * (which Kafka Streams requires of apps with persistent stores anyway).
     */
    public String instanceId() {
        final String configured = get(ConfigKey.INSTANCE_ID);
        if (!configured.isEmpty()) {
            return configured;
        }
        final String stateDir = Path.of(get(ConfigKey.STATE_DIR)).toAbsolutePath().normalize().toString();
        return (hostName() + "-" + Integer.toHexString(stateDir.hashCode())).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String hostName() {
        final String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /**
     * {@code labels.window.ms}: how long, in event time, a record waits for a late label on
     * {@code labels}; 0 for no late labels (the teacher then neither reads them nor passes on the
     * records it does not annotate).
     *
     * @throws IllegalArgumentException naming the key for a negative window
     */
    public long lateLabelWindowMs() {
        final long window = getLong(ConfigKey.LABELS_WINDOW_MS);
        if (window < 0) {
            throw new IllegalArgumentException(ConfigKey.LABELS_WINDOW_MS.key() + " (" + ConfigKey.LABELS_WINDOW_MS.env()
                    + ") must be >= 0, got " + window);
        }
        return window;
    }

    /** The trainer id whose student is served: {@code server.student}, else {@code trainer.id}. */
    public String servedStudent() {
        final String chosen = get(ConfigKey.SERVER_STUDENT).trim();
        return chosen.isEmpty() ? get(ConfigKey.TRAINER_ID) : chosen;
    }

    /** {@code server.shadows}: the trainer ids, without blanks or repeats, in their order. */
    public List<String> shadowStudents() {
        final List<String> ids = new ArrayList<>();
        for (final String id : get(ConfigKey.SERVER_SHADOWS).split(",")) {
            if (!id.isBlank() && !ids.contains(id.trim())) {
                ids.add(id.trim());
            }
        }
        return List.copyOf(ids);
    }

    public Path ensembleFile() {
        final String file = get(ConfigKey.ENSEMBLE_FILE);
        return file.isEmpty() ? Path.of(get(ConfigKey.MODEL_DIR), "ensemble.kdm") : Path.of(file);
    }

    public TopicNames topics() {
        return new TopicNames(get(ConfigKey.TOPIC_FEATURES), get(ConfigKey.TOPIC_SOFT_TARGETS),
                get(ConfigKey.TOPIC_PREDICTIONS), get(ConfigKey.TOPIC_CHECKPOINTS), get(ConfigKey.TOPIC_FEATURES_DLQ),
                get(ConfigKey.TOPIC_CONTROL), get(ConfigKey.TOPIC_SHADOW_PREDICTIONS),
                get(ConfigKey.TOPIC_DRIFT_EVENTS), get(ConfigKey.TOPIC_LABELS), get(ConfigKey.TOPIC_LABELS_DLQ));
    }

    /** Client properties for any Kafka client: bootstrap servers plus every pass-through property. */
    public Properties kafkaProperties() {
        final Properties p = new Properties();
        p.putAll(kafka);
        p.put("bootstrap.servers", get(ConfigKey.BOOTSTRAP_SERVERS));
        return p;
    }

    /** A copy whose Kafka client properties are also {@code clientProperties} (a principal's credentials). */
    public KdConfig withKafka(final Properties clientProperties) {
        final Map<String, String> overrides = new LinkedHashMap<>();
        clientProperties.forEach((k, v) -> overrides.put(KAFKA_PREFIX + k, String.valueOf(v)));
        return with(overrides);
    }

    /** A copy with some file-style keys replaced (the embedded stack sets ports and directories). */
    public KdConfig with(final Map<String, String> overrides) {
        final Map<String, String> merged = new LinkedHashMap<>();
        values.forEach((k, v) -> merged.put(k.key(), v));
        kafka.forEach((k, v) -> merged.put(KAFKA_PREFIX + k, String.valueOf(v)));
        merged.putAll(overrides);
        return load(null, Map.of(), merged);
    }
}
