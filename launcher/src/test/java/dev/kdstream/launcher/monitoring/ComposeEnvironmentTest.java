package dev.kdstream.launcher.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.launcher.Kd;

/**
 * docker-compose.yml against the code: every variable it sets for a service built from this repo is
 * one that service reads, every command parses, the broker image is the clients' Kafka version, and
 * the health checks and addresses match the services' ports and the broker's listeners.
 */
class ComposeEnvironmentTest {

    /**
     * The variables the image reads besides the services' configuration: docker/entrypoint.sh (the
     * image's ENTRYPOINT) turns them into JVM and native-library settings, as ./kd does. The test
     * below keeps this list equal to what the script reads.
     */
    static final Set<String> RUNTIME_VARIABLES = Set.of(
            "OMP_NUM_THREADS",    // ND4J's OpenMP threads (one: docs/platform.md, "ND4J threads")
            "OPENBLAS_CORETYPE",  // OpenBLAS kernel selection
            "KD_HEAP",            // -Xmx
            "KD_LOG_LEVEL",       // SLF4J simple logger level
            "KD_JAVA_OPTS");      // further JVM options

    private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");

    @Test
    void everyVariableSetForAServiceBuiltHereIsOneItReads() {
        final Map<String, JsonNode> services = RepoFiles.servicesBuiltHere();
        assertThat(services).as("services built from this repo").containsKeys("teacher-service", "student-service",
                "producer");
        final Set<String> configKeys = Arrays.stream(ConfigKey.values()).map(ConfigKey::env).collect(Collectors.toSet());
        final List<String> unread = new ArrayList<>();
        services.forEach((name, service) -> {
            assertThat(service.has("env_file")).as("%s: env_file cannot be checked, set environment instead", name)
                    .isFalse();
            RepoFiles.environment(service).keySet().forEach(variable -> {
                final boolean read = configKeys.contains(variable)
                        || variable.equals(KdConfig.CONFIG_FILE_ENV)
                        || RUNTIME_VARIABLES.contains(variable)
                        || variable.startsWith(KdConfig.KAFKA_ENV_PREFIX) && isKafkaClientProperty(variable);
                if (!read) {
                    unread.add(name + ": " + variable);
                }
            });
        });
        assertThat(unread).as("variables no code reads (ConfigKey env names, KD_KAFKA_<client property>, "
                + "KD_CONFIG, or the entrypoint's %s)", new TreeSet<>(RUNTIME_VARIABLES)).isEmpty();
    }

    @Test
    void theRuntimeVariablesAreExactlyTheOnesTheEntrypointReads() {
        final String script = RepoFiles.text(RepoFiles.entrypoint());
        final Set<String> read = new HashSet<>();
        for (final String line : script.lines().filter(l -> !l.trim().startsWith("#")).toList()) {
            final Matcher m = SHELL_VARIABLE.matcher(line);
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        assertThat(read).isEqualTo(RUNTIME_VARIABLES);
        final String dockerfile = RepoFiles.text(RepoFiles.dockerfile());
        assertThat(dockerfile).contains("docker/entrypoint.sh /app/entrypoint.sh")
                .contains("ENTRYPOINT [\"/app/entrypoint.sh\"]");
    }

    @Test
    void everyServiceBuiltHereFindsTheBrokerOnItsInternalListener() {
        final Map<String, String> kafka = RepoFiles.environment(RepoFiles.composeServices().get("kafka"));
        final Set<String> advertised = Arrays.stream(kafka.get("KAFKA_ADVERTISED_LISTENERS").split(","))
                .map(l -> l.substring(l.indexOf("://") + 3)).collect(Collectors.toSet());
        RepoFiles.servicesBuiltHere().forEach((name, service) -> {
            final String bootstrap = RepoFiles.environment(service).get(ConfigKey.BOOTSTRAP_SERVERS.env());
            assertThat(bootstrap).as("%s: %s", name, ConfigKey.BOOTSTRAP_SERVERS.env()).isNotNull()
                    .startsWith("kafka:");
            assertThat(advertised).as("%s: the broker advertises %s", name, bootstrap).contains(bootstrap);
        });
    }

    @Test
    void theBrokerImageIsTheKafkaVersionOfTheClients() {
        final JsonNode kafka = RepoFiles.composeServices().get("kafka");
        assertThat(RepoFiles.withDefaults(kafka.path("image").asText()))
                .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        final String clusterId = RepoFiles.environment(kafka).get("CLUSTER_ID");
        assertThatCode(() -> Uuid.fromString(clusterId)).as("CLUSTER_ID %s is a base64 UUID", clusterId)
                .doesNotThrowAnyException();
    }

    /**
     * Sites with a private registry, or none, replace every image without editing the file: each is
     * {@code ${VARIABLE:-official image}}, and so are the base images of the Dockerfiles, which
     * are build arguments.
     */
    @Test
    void everyImageIsAVariableDefaultingToTheOfficialOne() {
        final Map<String, String> defaults = new TreeMap<>();
        RepoFiles.composeServices().forEach((name, service) -> {
            final String image = service.path("image").asText();
            final Matcher m = RepoFiles.VARIABLE_WITH_DEFAULT.matcher(image);
            assertThat(m.matches()).as("%s: image %s is ${VARIABLE:-default}", name, image).isTrue();
            defaults.put(m.group(1), m.group(2));
        });
        assertThat(defaults).containsOnlyKeys("KAFKA_IMAGE", "KD_IMAGE", "PROMETHEUS_IMAGE", "GRAFANA_IMAGE")
                .containsEntry("KAFKA_IMAGE", "apache/kafka:" + AppInfoParser.getVersion());

        RepoFiles.servicesBuiltHere().forEach((name, service) -> {
            final JsonNode args = service.path("build").path("args");
            assertThat(service.path("build").path("context").asText()).as("%s: build context", name).isEqualTo(".");
            for (final String arg : List.of("BUILD_IMAGE", "JRE_IMAGE")) {
                final String value = args.path(arg).asText();
                assertThat(value).as("%s: build argument %s", name, arg).matches(RepoFiles.VARIABLE_WITH_DEFAULT);
                assertThat(RepoFiles.text(RepoFiles.dockerfile()))
                        .contains("ARG " + arg + "=" + RepoFiles.withDefaults(value), "FROM ${" + arg + "}");
            }
        });
        assertThat(RepoFiles.text(RepoFiles.prebuiltDockerfile())).contains("FROM ${JRE_IMAGE}")
                .contains("ARG JRE_IMAGE=" + RepoFiles.withDefaults(
                        RepoFiles.servicesBuiltHere().get("teacher-service").path("build").path("args").path("JRE_IMAGE")
                                .asText()));
    }

    /** docker/local.env, which docker/local-images.sh writes, sets only variables the compose file reads. */
    @Test
    void theLocalImagesReplaceImagesTheComposeFileNames() {
        final String compose = RepoFiles.text(RepoFiles.compose());
        final String script = RepoFiles.text(RepoFiles.localImagesScript());
        final String env = script.substring(script.indexOf("> \"$repo/docker/local.env\""));
        final Matcher m = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*)=").matcher(env);
        final Set<String> written = new TreeSet<>();
        while (m.find()) {
            written.add(m.group(1));
        }
        assertThat(written).contains("KAFKA_IMAGE", "PROMETHEUS_IMAGE", "KD_IMAGE", "KD_JRE_IMAGE");
        written.stream().filter(v -> !v.startsWith("TESTCONTAINERS_"))
                .forEach(v -> assertThat(compose).as("docker-compose.yml reads %s", v).contains("${" + v + ":-"));
    }

    @Test
    void everyCommandParses() {
        RepoFiles.servicesBuiltHere().forEach((name, service) -> {
            final List<String> args = RepoFiles.command(service);
            assertThat(args).as("%s: command", name).isNotEmpty();
            assertThatCode(() -> Kd.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("%s: ./kd %s", name, String.join(" ", args)).doesNotThrowAnyException();
        });
    }

    @Test
    void healthChecksAskTheMetricsPort() {
        RepoFiles.servicesBuiltHere().forEach((name, service) -> {
            final JsonNode healthcheck = service.path("healthcheck");
            if (healthcheck.isMissingNode()) {
                return;
            }
            final String test = healthcheck.path("test").toString();
            assertThat(test).as("%s: healthcheck", name)
                    .contains("http://localhost:" + ServicePorts.metricsPort(service) + "/health");
            // the script both Dockerfiles install, so that the check needs no curl in the JRE base
            assertThat(test).as("%s: healthcheck", name).startsWith("[\"CMD\",\"/app/healthcheck\"");
        });
        assertThat(RepoFiles.text(RepoFiles.dockerfile())).contains("docker/healthcheck.sh /app/healthcheck");
        assertThat(RepoFiles.text(RepoFiles.prebuiltDockerfile())).contains("healthcheck.sh /app/healthcheck");
        assertThat(RepoFiles.servicesBuiltHere().get("teacher-service").has("healthcheck")).isTrue();
        assertThat(RepoFiles.servicesBuiltHere().get("student-service").has("healthcheck")).isTrue();
    }

    /** {@code KD_KAFKA_COMMIT_INTERVAL_MS} -> {@code commit.interval.ms}, as {@link KdConfig} maps it. */
    private static boolean isKafkaClientProperty(final String variable) {
        final String property = variable.substring(KdConfig.KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                .replace('_', '.');
        final Set<String> known = new HashSet<>();
        known.addAll(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        known.addAll(StreamsConfig.configDef().names());
        return known.contains(property);
    }
}
