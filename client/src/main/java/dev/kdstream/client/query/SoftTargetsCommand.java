package dev.kdstream.client.query;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.kafka.CommittedReader;
import dev.kdstream.contracts.kafka.KafkaAccess;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.SoftTargetCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
            description = "How many, across partitions, newest last (default: ${DEFAULT-VALUE}).")
    int last;

    @Mixin
    ReaderOptions options;

    @Override
    public Integer call() throws JsonProcessingException {
        if (last < 1) {
            throw new IllegalArgumentException("--last must be >= 1, got " + last);
        }
        final Duration timeout = options.timeout();
        final KdConfig config = options.config();
        final String topic = config.topics().softTargets();
        final List<ConsumerRecord<String, byte[]>> found = last(config, topic, timeout);
        final PrintWriter out = spec.commandLine().getOut();
        for (final ConsumerRecord<String, byte[]> r : found) {
            out.println(asJson(r));
        }
        out.flush();
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("no soft targets on topic " + topic + " yet");
        }
        return 0;
    }

    /**
     * The last {@code last} records of every partition, newest last; further back than {@code last}
     * offsets when transaction markers took some of them (as {@code ./kd query --last} does).
     */
    private List<ConsumerRecord<String, byte[]>> last(final KdConfig config, final String topic,
                                                      final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        try (CommittedReader<String, byte[]> reader = new CommittedReader<>(
                PredictionReader.readerConfig(config, "kd-soft-targets"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = reader.assignAll(topic, timeout);
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist, or this principal may not "
                        + "describe it (on a secured broker only the trainer's principal reads it: its "
                        + "kd-trainer.properties)");
            }
            final CommittedReader.Tail<String, byte[]> tail = reader.tail(partitions, last, deadline, timeout);
            if (!tail.complete()) {
                throw new IllegalArgumentException("reading " + topic + " took longer than " + timeout.toSeconds()
                        + " s (raise --timeout)");
            }
            final List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            tail.records().values().forEach(found::addAll);
            found.sort(Comparator.comparingLong(ConsumerRecord<String, byte[]>::timestamp)
                    .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
            return found.subList(Math.max(0, found.size() - last), found.size());
        } catch (TimeoutException e) {
            throw new IllegalArgumentException(KafkaAccess.unreachable(config.get(ConfigKey.BOOTSTRAP_SERVERS),
                    timeout.toSeconds(), "", "--bootstrap-servers"), e);
        }
    }

    /**
     * The record as JSON: a binary one decoded, a JSON one (an earlier kd-stream's) as it is, and
     * one that is neither as what it is, with the reason.
     */
    private static String asJson(final ConsumerRecord<String, byte[]> r) throws JsonProcessingException {
        if (r.value() == null) {
            return error(r, "no value (a tombstone)");
        }
        if (r.value().length > 0 && r.value()[0] == '{') {
            return new String(r.value(), StandardCharsets.UTF_8);
        }
        try {
            return Json.MAPPER.writeValueAsString(SoftTargetCodec.decode(r.value()));
        } catch (InvalidRecordException e) {
            return error(r, e.getMessage());
        }
    }

    private static String error(final ConsumerRecord<String, byte[]> r, final String why)
            throws JsonProcessingException {
        final Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("key", r.key());
        shown.put("partition", r.partition());
        shown.put("offset", r.offset());
        shown.put("error", why);
        return Json.MAPPER.writeValueAsString(shown);
    }
}
