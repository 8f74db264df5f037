package dev.kdstream.client.query;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.kafka.CommittedReader;
import dev.kdstream.contracts.kafka.ListenerProbe;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.SoftTargetCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./kd soft-targets}: the last records of the internal {@code soft-targets} topic, which is
 * binary ({@link SoftTargetCodec}), printed as JSON for a person debugging the teacher.
 */
@Command(name = "soft-targets", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Prints the last soft targets the teacher wrote, as JSON, one per line (committed records only, no "
                    + "consumer group). The topic itself is binary: only the trainer reads it."},
        footer = {"", "Examples:",
            "  ./kd soft-targets                # the last 10",
            "  ./kd soft-targets --last 100 | jq -c '[.id, .softTargets]'"})
public final class SoftTargetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--last", paramLabel = "N", defaultValue = "10",
            description = "How many, from the end of each partition, newest last (default: ${DEFAULT-VALUE}).")
    int last;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up reading the topic after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see README: configuration).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Override
    public Integer call() throws JsonProcessingException {
        if (last < 1 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("--last and --timeout must be >= 1");
        }
        final Map<String, String> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        }
        final KdConfig config = KdConfig.fromEnvironment(configFile, overrides);
        ListenerProbe.requireMatchingProtocol(config.kafkaProperties());
        final String topic = config.topics().softTargets();
        final Duration timeout = Duration.ofSeconds(timeoutSeconds);
        final List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (CommittedReader<String, byte[]> reader = new CommittedReader<>(CommittedReader.config(
                config.kafkaProperties(), "kd-soft-targets"), new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = reader.assignAll(topic, timeout);
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist (or this principal may not "
                        + "describe it)");
            }
            final Map<TopicPartition, Long> begin = reader.beginningOffsets(partitions, timeout);
            final Map<TopicPartition, Long> end = reader.endOffsets(partitions, timeout);
            final Map<TopicPartition, Long> from = new HashMap<>();
            // transaction markers take offsets too: up to `last` records per partition, fewer after many commits
            partitions.forEach(tp -> from.put(tp, Math.max(begin.get(tp), end.get(tp) - last)));
            reader.read(from, end, System.nanoTime() + timeout.toNanos(), found::add);
        }
        found.sort(Comparator.comparingLong(ConsumerRecord<String, byte[]>::timestamp)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        final PrintWriter out = spec.commandLine().getOut();
        for (final ConsumerRecord<String, byte[]> r : found.subList(Math.max(0, found.size() - last), found.size())) {
            out.println(asJson(r));
        }
        out.flush();
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("no soft targets on topic " + topic + " yet");
        }
        return 0;
    }

    /** The record as JSON; one the codec cannot read is shown as what it is, with the reason. */
    private static String asJson(final ConsumerRecord<String, byte[]> r) throws JsonProcessingException {
        try {
            return Json.MAPPER.writeValueAsString(SoftTargetCodec.decode(r.value()));
        } catch (InvalidRecordException | NullPointerException e) {
            return Json.MAPPER.writeValueAsString(Map.of("key", String.valueOf(r.key()), "partition", r.partition(),
                    "offset", r.offset(), "error", r.value() == null ? "no value" : e.getMessage()));
        }
    }
}
