package dev.kdstream.launcher.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The deployment files at the repository root (docker-compose.yml, Dockerfile, docker/,
 * monitoring/), found from the test's working directory, and the bits of them the tests compare.
 */
public final class RepoFiles {

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    /** A compose variable with its default, {@code ${NAME:-default}}, the one form Compose v1 and v2 both read. */
    static final Pattern VARIABLE_WITH_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-([^}]*)}");

    private static final Path ROOT = findRoot();

    private RepoFiles() {
    }

    public static Path root() {
        return ROOT;
    }

    static Path compose() {
        return ROOT.resolve("docker-compose.yml");
    }

    /** The override that secures Kafka. */
    static Path secureCompose() {
        return ROOT.resolve("docker-compose.secure.yml");
    }

    static Path dockerfile() {
        return ROOT.resolve("Dockerfile");
    }

    static Path entrypoint() {
        return ROOT.resolve("docker/entrypoint.sh");
    }

    static Path prebuiltDockerfile() {
        return ROOT.resolve("docker/Dockerfile.prebuilt");
    }

    static Path localImagesScript() {
        return ROOT.resolve("docker/local-images.sh");
    }

    static Path prometheusConfig() {
        return ROOT.resolve("monitoring/prometheus/prometheus.yml");
    }

    static Path prometheusLocalConfig() {
        return ROOT.resolve("monitoring/prometheus/prometheus-local.yml");
    }

    static Path grafanaProvisioning() {
        return ROOT.resolve("monitoring/grafana/provisioning");
    }

    /** Every dashboard JSON Grafana provisions. */
    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(ROOT.resolve("monitoring/grafana/dashboards"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(final Path file) {
        return read(YAML, file);
    }

    static JsonNode json(final Path file) {
        return read(JSON, file);
    }

    static String text(final Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compose services, by name. */
    static Map<String, JsonNode> composeServices() {
        final Map<String, JsonNode> services = new LinkedHashMap<>();
        yaml(compose()).path("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    /** The services whose image this repo builds (they have a {@code build} section). */
    static Map<String, JsonNode> servicesBuiltHere() {
        final Map<String, JsonNode> built = new LinkedHashMap<>();
        composeServices().forEach((name, service) -> {
            if (service.has("build")) {
                built.put(name, service);
            }
        });
        return built;
    }

    /** A service's environment, from either compose form: a map, or a list of {@code NAME=value}. */
    static Map<String, String> environment(final JsonNode service) {
        final Map<String, String> env = new LinkedHashMap<>();
        final JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        } else if (node.isArray()) {
            for (final JsonNode item : node) {
                final String s = item.asText();
                final int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** A service's command as arguments: compose takes a list, or a string split on whitespace. */
    static List<String> command(final JsonNode service) {
        final JsonNode node = service.path("command");
        final List<String> args = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(a -> args.add(a.asText()));
        } else if (node.isTextual()) {
            args.addAll(List.of(node.asText().trim().split("\\s+")));
        }
        return args;
    }

    /** A compose value as Compose reads it with none of its variables set: every {@code ${NAME:-default}} is its default. */
    static String withDefaults(final String value) {
        final Matcher m = VARIABLE_WITH_DEFAULT.matcher(value);
        final StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
        }
        return m.appendTail(out).toString();
    }

    /** The static scrape targets of a Prometheus config, by job name. */
    static Map<String, List<String>> scrapeTargets(final JsonNode prometheusConfig) {
        final Map<String, List<String>> targets = new LinkedHashMap<>();
        for (final JsonNode job : prometheusConfig.path("scrape_configs")) {
            if (!job.has("static_configs")) {
                continue; // found by DNS: see dnsTargets
            }
            final List<String> list = new ArrayList<>();
            for (final JsonNode group : job.path("static_configs")) {
                group.path("targets").forEach(t -> list.add(t.asText()));
            }
            targets.put(job.path("job_name").asText(), list);
        }
        return targets;
    }

    /** The jobs whose targets Prometheus finds by DNS: job name to {@code name:port}. */
    static Map<String, List<String>> dnsTargets(final JsonNode prometheusConfig) {
        final Map<String, List<String>> targets = new LinkedHashMap<>();
        for (final JsonNode job : prometheusConfig.path("scrape_configs")) {
            final List<String> list = new ArrayList<>();
            for (final JsonNode group : job.path("dns_sd_configs")) {
                group.path("names").forEach(n -> list.add(n.asText() + ":" + group.path("port").asText()));
            }
            if (!list.isEmpty()) {
                targets.put(job.path("job_name").asText(), list);
            }
        }
        return targets;
    }

    private static JsonNode read(final ObjectMapper mapper, final Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** Surefire runs in the module directory; the files are at the root of the reactor. */
    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker-compose.yml next to a pom.xml above " + Path.of("").toAbsolutePath());
    }
}
