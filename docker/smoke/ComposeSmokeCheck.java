import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The compose smoke test's client on the host (docker/smoke-test.sh runs it with java's
 * source launcher): a plain Kafka producer and read_committed consumers, no kd-stream code, as any
 * user's client would be.
 *
 * <pre>
 *   feed       BOOTSTRAP BATCH VALID INVALID SECONDS   VALID records and INVALID ones (five kinds), spread over SECONDS
 *   check      BOOTSTRAP BATCH VALID INVALID TIMEOUT_S every valid id: one soft target, a prediction with a model
 *                                                      version; every invalid one: one dead letter with its reason
 *   prometheus URL TIMEOUT_S JOB=METRIC,...            every JOB's target up, with each of its METRICs
 * </pre>
 *
 * Record ids are {@code BATCH-v-N} (valid) and {@code BATCH-x-N} (invalid), the record key too, so
 * a check needs nothing but the counts.
 */
public final class ComposeSmokeCheck {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int FEATURES = 20;
    static final String REASON_HEADER = "kd.error.reason";

    /** The invalid kinds and the reason each is dead-lettered with, as the README lists them. */
    record Invalid(String reason, String valueTemplate) {
        String value(final String id) {
            return valueTemplate.replace("ID", id);
        }
    }

    static final List<Invalid> INVALID = List.of(
            new Invalid("malformed_json", "{\"id\":\"ID\",\"features\":[1,2"),
            new Invalid("wrong_feature_count", "{\"id\":\"ID\",\"features\":[1,2,3]}"),
            new Invalid("non_finite", "{\"id\":\"ID\",\"features\":[1,2,3,4,5,6,7,8,9,10,NaN,1,2,3,4,5,6,7,8,9]}"),
            new Invalid("label_out_of_range", "{\"id\":\"ID\",\"features\":" + zeros() + ",\"label\":7}"),
            new Invalid("bad_split", "{\"id\":\"ID\",\"features\":" + zeros() + ",\"split\":\"test\"}"));

    private ComposeSmokeCheck() {
    }

    public static void main(final String[] args) throws Exception {
        try {
            switch (args.length == 0 ? "" : args[0]) {
                case "feed" -> feed(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]));
                case "check" -> check(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Duration.ofSeconds(Long.parseLong(args[5])));
                case "prometheus" -> prometheus(args[1], Duration.ofSeconds(Long.parseLong(args[2])),
                        List.of(args).subList(3, args.length).stream().collect(Collectors.toMap(
                                a -> a.substring(0, a.indexOf('=')), a -> List.of(a.substring(a.indexOf('=') + 1)
                                        .split(",")), (a, b) -> b, TreeMap::new)));
                default -> throw new Failure("usage: ComposeSmokeCheck feed|check|prometheus ... (see the class comment)");
            }
        } catch (Failure e) {
            System.err.println("smoke-test: FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    /** A check that did not hold: one line for the log, no stack trace. */
    static final class Failure extends Exception {
        Failure(final String message) {
            super(message);
        }
    }

    static void feed(final String bootstrap, final String batch, final int valid, final int invalid, final int seconds)
            throws Exception {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        final Random random = new Random(batch.hashCode());
        final int total = valid + invalid;
        final long started = System.nanoTime();
        final List<Future<RecordMetadata>> sent = new ArrayList<>(total);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < total; i++) {
                // invalid records spread evenly among the valid ones
                final boolean isInvalid = (long) i * invalid / total != (long) (i + 1) * invalid / total;
                final int n = isInvalid ? (int) ((long) i * invalid / total) : i - (int) ((long) (i + 1) * invalid / total);
                final String id = batch + (isInvalid ? "-x-" : "-v-") + n;
                final String value = isInvalid ? INVALID.get(n % INVALID.size()).value(id) : validRecord(id, n, random);
                sent.add(producer.send(new ProducerRecord<>("features", bytes(id), bytes(value))));
                final long due = started + (long) (seconds * 1e9 * (i + 1) / total);
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            producer.flush();
        }
        for (final Future<RecordMetadata> f : sent) {
            f.get();
        }
        System.out.printf(Locale.ROOT, "smoke-test: fed %s: %,d valid and %,d invalid records in %.1f s%n", batch, valid,
                invalid, (System.nanoTime() - started) / 1e9);
    }

    /** Labelled and unlabelled, training and holdout records, raw features around 0. */
    static String validRecord(final String id, final int n, final Random random) throws Exception {
        final Map<String, Object> record = new TreeMap<>();
        record.put("id", id);
        final double[] features = new double[FEATURES];
        for (int f = 0; f < FEATURES; f++) {
            features[f] = random.nextGaussian();
        }
        record.put("features", features);
        if (n % 3 != 0) {
            record.put("label", n % 2);
        }
        if (n % 10 == 0) {
            record.put("split", "holdout");
        }
        return JSON.writeValueAsString(record);
    }

    static void check(final String bootstrap, final String batch, final int valid, final int invalid,
                      final Duration timeout) throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final String validPrefix = batch + "-v-";
        final String invalidPrefix = batch + "-x-";

        final Map<String, List<ConsumerRecord<byte[], byte[]>>> softTargets =
                readUntil(bootstrap, "soft-targets", batch, deadline, read -> countWithPrefix(read, validPrefix) >= valid);
        final Map<String, List<ConsumerRecord<byte[], byte[]>>> deadLetters =
                readUntil(bootstrap, "features-dlq", batch, deadline, read -> countWithPrefix(read, invalidPrefix) >= invalid);
        final Map<String, List<ConsumerRecord<byte[], byte[]>>> predictions =
                readUntil(bootstrap, "predictions", batch, deadline, read -> countWithPrefix(read, validPrefix) >= valid);

        final List<String> problems = new ArrayList<>();
        int predictionCount = 0;
        long minVersion = Long.MAX_VALUE;
        long maxVersion = 0;
        for (int n = 0; n < valid; n++) {
            final String id = validPrefix + n;
            final int soft = softTargets.getOrDefault(id, List.of()).size();
            if (soft != 1) {
                problems.add(id + ": " + soft + " soft targets");
            }
            final List<ConsumerRecord<byte[], byte[]>> answers = predictions.getOrDefault(id, List.of());
            if (answers.isEmpty()) {
                problems.add(id + ": no prediction");
            }
            for (final ConsumerRecord<byte[], byte[]> r : answers) {
                final JsonNode p = JSON.readTree(r.value());
                final long version = p.path("modelVersion").asLong();
                if (!id.equals(p.path("id").asText()) || version < 1) {
                    problems.add(id + ": prediction without its id or a model version: " + text(r.value()));
                }
                minVersion = Math.min(minVersion, version);
                maxVersion = Math.max(maxVersion, version);
                predictionCount++;
            }
        }
        for (int n = 0; n < invalid; n++) {
            final String id = invalidPrefix + n;
            final String expected = INVALID.get(n % INVALID.size()).reason();
            final List<ConsumerRecord<byte[], byte[]>> letters = deadLetters.getOrDefault(id, List.of());
            if (letters.size() != 1) {
                problems.add(id + ": " + letters.size() + " dead letters (expected one, " + expected + ")");
            } else if (!expected.equals(header(letters.get(0), REASON_HEADER))) {
                problems.add(id + ": dead letter with reason " + header(letters.get(0), REASON_HEADER) + ", expected "
                        + expected);
            }
            if (softTargets.containsKey(id) || predictions.containsKey(id)) {
                problems.add(id + ": an invalid record was annotated or answered");
            }
        }
        if (!problems.isEmpty()) {
            throw new Failure(batch + ": " + problems.size() + " problems, the first: "
                    + problems.stream().limit(5).collect(Collectors.joining("; ")));
        }
        System.out.printf(Locale.ROOT, "smoke-test: %s holds: %,d valid ids with one soft target each and %,d "
                        + "predictions (model versions %d-%d); %,d invalid ids with one dead letter each, reasons %s%n",
                batch, valid, predictionCount, minVersion, maxVersion, invalid, reasonCounts(deadLetters));
    }

    interface Done {
        boolean test(Map<String, List<ConsumerRecord<byte[], byte[]>>> read);
    }

    /**
     * The batch's records of a topic by key, read_committed from the beginning until {@code done} holds
     * (or the deadline passes), then on to the end offsets, so that a duplicate written by then is
     * counted.
     */
    static Map<String, List<ConsumerRecord<byte[], byte[]>>> readUntil(final String bootstrap, final String topic,
            final String batch, final long deadline, final Done done) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final Map<String, List<ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            boolean complete = false;
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    final String key = r.key() == null ? "" : text(r.key());
                    if (key.startsWith(batch + "-")) {
                        read.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                    }
                }
                if (!complete && done.test(read)) {
                    complete = true;
                }
                if (complete && atEnd(consumer, partitions)) {
                    break;
                }
            }
        }
        return read;
    }

    static boolean atEnd(final KafkaConsumer<byte[], byte[]> consumer, final List<TopicPartition> partitions) {
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    static void prometheus(final String url, final Duration timeout, final Map<String, List<String>> jobs)
            throws Exception {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final long deadline = System.nanoTime() + timeout.toNanos();
        String missing = "nothing asked yet";
        while (System.nanoTime() < deadline) {
            missing = prometheusMissing(http, url, jobs);
            if (missing.isEmpty()) {
                System.out.printf("smoke-test: Prometheus: every target up, with its metrics: %s%n", jobs);
                return;
            }
            Thread.sleep(2_000);
        }
        throw new Failure("Prometheus at " + url + ": " + missing);
    }

    /** What Prometheus does not show yet, or "" once every job is up with every kd metric. */
    static String prometheusMissing(final HttpClient http, final String url, final Map<String, List<String>> jobs) {
        final List<String> missing = new ArrayList<>();
        try {
            final Map<String, String> health = new HashMap<>();
            for (final JsonNode t : get(http, url + "/api/v1/targets?state=active").path("data").path("activeTargets")) {
                health.put(t.path("labels").path("job").asText(), t.path("health").asText());
            }
            for (final Map.Entry<String, List<String>> entry : jobs.entrySet()) {
                final String job = entry.getKey();
                if (!"up".equals(health.get(job))) {
                    missing.add(job + " is " + health.getOrDefault(job, "not a target"));
                }
                for (final String metric : entry.getValue()) {
                    final String query = metric + "{job=\"" + job + "\"}";
                    final JsonNode result = get(http, url + "/api/v1/query?query="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)).path("data").path("result");
                    if (result.isEmpty()) {
                        missing.add("no " + query);
                    }
                }
            }
        } catch (Exception e) {
            missing.add("not answering (" + e.getMessage() + ")");
        }
        return String.join(", ", missing);
    }

    static JsonNode get(final HttpClient http, final String url) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    static long countWithPrefix(final Map<String, List<ConsumerRecord<byte[], byte[]>>> read, final String prefix) {
        return read.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    static Map<String, Long> reasonCounts(final Map<String, List<ConsumerRecord<byte[], byte[]>>> deadLetters) {
        return deadLetters.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(r -> String.valueOf(header(r, REASON_HEADER)), TreeMap::new,
                        Collectors.counting()));
    }

    static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
        final Header h = r.headers().lastHeader(name);
        return h == null ? null : text(h.value());
    }

    static String zeros() {
        return "[" + String.join(",", java.util.Collections.nCopies(FEATURES, "0.0")) + "]";
    }

    static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
