package dev.kdstream.bench.e2e;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.clients.producer.KafkaProducer;

import dev.kdstream.bench.MachineInfo;
import dev.kdstream.client.produce.FeatureProducer;
import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.contracts.kafka.KafkaAccess;
import dev.kdstream.contracts.kafka.TopicAdmin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd bench flood}: a client in a process of its own floods the {@code features} topic of
 * a running stack ({@code ./kd stack}, or {@code ./kd broker} and the services, or compose) with
 * prepared records, and times each round until every record has a soft target and a prediction,
 * as a read_committed reader sees them. Nothing the services' JVMs do is for the benchmark. Then,
 * on the same broker, the ceiling: a raw produce -> consume of the same records and the same
 * topology with the work taken out ({@link KafkaOnlyPipeline}, run in this process).
 */
@Command(name = "flood", mixinStandardHelpOptions = true, sortOptions = false,
        description = "From outside: floods a running stack's features topic with prepared records, round after "
                + "round, and times each until every record has a soft target and a prediction; then raw Kafka "
                + "and the Kafka-only topology on the same broker, for the ratio.",
        footer = {"", "The stack trains on the flood's records like on any others, and the reference runs need "
                + "the right to create topics (theirs, named flood-*, are deleted at the end).",
            "", "Examples:",
            "  ./kd stack                         # in one terminal; once it says it keeps running, in another:",
            "  ./kd bench flood                   # 4 rounds of 100,000 records",
            "  ./kd broker; ./kd teacher serve; ./kd student   # fresh services, each in its own terminal; once",
            "                                     # the student's server has started, the cold figure:",
            "  ./kd bench flood --records 250000 --rounds 2 --no-reference"})
public final class FloodBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "The stack's broker (default: KD_BOOTSTRAP_SERVERS or localhost:9092).")
    String bootstrapServers;

    @Option(names = "--records", paramLabel = "N", defaultValue = "100000",
            description = "Records per round (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "4",
            description = "Rounds, one after the other, each waited on (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--window", paramLabel = "N", defaultValue = "25000",
            description = "Records over which the rate is taken for the time to 90 %% of the settled rate "
                    + "(default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--settled-rate", paramLabel = "EVENTS_PER_S",
            description = "The settled rate to measure the first rounds against (default: the last round's).")
    Double settledRate;

    @Option(names = "--no-reference",
            description = "Skip the raw and Kafka-only runs on the same broker (for a cold figure, run the "
                    + "flood first and alone).")
    boolean noReference;

    @Option(names = "--stall-seconds", paramLabel = "S", defaultValue = "60",
            description = "A round that makes no progress for this long ends, counting what is missing as "
                    + "lost (default: ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Override
    public Integer call() throws Exception {
        if (records <= 0 || rounds <= 0 || window <= 0 || stallSeconds <= 0
                || settledRate != null && !(settledRate > 0)) {
            throw new IllegalArgumentException("--records, --rounds, --window, --stall-seconds and --settled-rate "
                    + "must be positive");
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println(MachineInfo.describe());
        final Map<String, String> overrides = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        }
        final KdConfig config = KdConfig.fromEnvironment(null, overrides);
        final int partitions = requireStack(config);
        final String run = "flood-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        final Dataset train = TrainTestSplit.seedDefault().train();
        out.printf(Locale.ROOT, "flood: %s, %d rounds of %,d prepared records (the seed's training rows), ids %s*%n",
                config.get(ConfigKey.BOOTSTRAP_SERVERS), rounds, records, run);
        out.flush();
        final List<Flood.Round> results = new ArrayList<>();
        final RateCurve curve = new RateCurve();
        final RateCurve softCurve = new RateCurve();
        final RateCurve predictedCurve = new RateCurve();
        final long missing;
        final long duplicatedSoftTargets;
        final long duplicatedPredictions;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(FeatureProducer.producerProperties(config));
             KeyCount soft = new KeyCount(config, config.topics().softTargets(), run);
             KeyCount predicted = new KeyCount(config, config.topics().predictions(), run)) {
            final Flood flood = new Flood(producer, TimeUnit.SECONDS.toMillis(stallSeconds));
            // a round's records through both stages
            final ToLongFunction<String> through = round -> Math.min(soft.distinct(round), predicted.distinct(round));
            for (int r = 1; r <= rounds; r++) {
                final String round = "r" + r;
                final List<Flood.Message> messages = prepare(train, run + round + "-");
                final Flood.Round result;
                // the first round's two stages apart too: which of them a slow start is
                try (Sampling soft1 = r > 1 ? null : new Sampling(() -> soft.distinct(round), softCurve::add);
                     Sampling predicted1 = r > 1 ? null : new Sampling(() -> predicted.distinct(round),
                             predictedCurve::add)) {
                    result = flood.run(config.topics().features(), messages, () -> through.applyAsLong(round),
                            curve.continuing());
                }
                results.add(result);
                out.printf(Locale.ROOT, "round %d: %,d records, %.1f s to the last soft target and prediction: "
                        + "%,.0f events/s%s%n", r, result.acked(), result.seconds(), result.eventsPerSecond(),
                        result.missing() == 0 ? "" : String.format(Locale.ROOT, " (%,d missing after %d s without "
                                + "progress)", result.missing(), stallSeconds));
                out.flush();
                if (result.done() == 0) {
                    throw new IllegalStateException("no record of round " + r + " came through in " + stallSeconds
                            + " s: are the teacher and the student running against "
                            + config.get(ConfigKey.BOOTSTRAP_SERVERS) + "?");
                }
            }
            // a record late for its round is not lost: the counts are taken again at the end
            long stillMissing = 0;
            for (int r = 1; r <= rounds; r++) {
                stillMissing += Math.max(0, results.get(r - 1).acked() - through.applyAsLong("r" + r));
            }
            missing = stillMissing;
            duplicatedSoftTargets = soft.duplicates();
            duplicatedPredictions = predicted.duplicates();
        }
        final Flood.Round first = results.get(0);
        final double settled = settledRate != null ? settledRate : results.get(results.size() - 1).eventsPerSecond();
        out.println();
        out.printf(Locale.ROOT, "first round: %,.0f events/s over its %,d records; by each second, through: %s%n"
                + "    with a soft target: %s%n    with a prediction:  %s%n", first.eventsPerSecond(), records,
                bySecond(curve, first.seconds()), bySecond(softCurve, first.seconds()),
                bySecond(predictedCurve, first.seconds()));
        out.printf(Locale.ROOT, "to 90 %% of the settled rate (%,.0f events/s, %s): %s%n", settled,
                settledRate != null ? "--settled-rate" : "the last round's",
                curve.recordsToReach(0.9 * settled, window, RateCurve.HELD).stream()
                        .mapToObj(n -> String.format(Locale.ROOT, "%,d records (rate over %,d, held for %d windows)", n,
                                window, RateCurve.HELD))
                        .findFirst().orElse(String.format(Locale.ROOT, "not within %,d records", curve.done())));
        // the server is at-least-once by default: a prediction may repeat after a failure, a soft target never
        out.printf(Locale.ROOT, "lost %,d; duplicated soft targets %,d, predictions %,d (read_committed)%n", missing,
                duplicatedSoftTargets, duplicatedPredictions);
        out.flush();
        if (!noReference) {
            reference(config, run, partitions, prepare(train, run + "ref-"), results.get(results.size() - 1), out);
        }
        return missing == 0 && duplicatedSoftTargets == 0 ? 0 : 1;
    }

    /**
     * The features topic's partitions, after checking that the three topics the flood uses exist:
     * a flood of a broker without the stack would only wait out its stalls.
     */
    private static int requireStack(final KdConfig config) throws InterruptedException {
        final List<String> needed = List.of(config.topics().features(), config.topics().softTargets(),
                config.topics().predictions());
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            final Map<String, TopicDescription> found = new LinkedHashMap<>();
            // one request for the three; each topic's answer apart, so that a missing one is named
            final Map<String, KafkaFuture<TopicDescription>> answers = admin.describeTopics(needed).topicNameValues();
            for (final String topic : needed) {
                try {
                    found.put(topic, answers.get(topic).get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalArgumentException("cannot describe " + topic + " on "
                                + config.get(ConfigKey.BOOTSTRAP_SERVERS) + ": " + e.getCause().getMessage(), e);
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalArgumentException(KafkaAccess.unreachable(
                            config.get(ConfigKey.BOOTSTRAP_SERVERS), 30, "", "--bootstrap-servers"), e);
                }
            }
            if (found.size() < needed.size()) {
                throw new IllegalArgumentException("no topic " + needed.stream().filter(t -> !found.containsKey(t))
                        .toList() + " on " + config.get(ConfigKey.BOOTSTRAP_SERVERS) + ": start the stack first ("
                        + "./kd stack, or ./kd broker with ./kd teacher serve and ./kd student)");
            }
            return found.get(config.topics().features()).partitions().size();
        }
    }

    /** Raw Kafka and the Kafka-only topology on the same broker, the same records, each on topics of its own. */
    private void reference(final KdConfig config, final String run, final int partitions,
                           final List<Flood.Message> messages, final Flood.Round last, final PrintWriter out)
            throws Exception {
        final KdConfig raw = BenchStack.prefixed(config, run + "raw-");
        final Path state = Files.createTempDirectory("kd-bench-flood-state");
        final KdConfig kafkaOnly = BenchStack.prefixed(config, run + "kafka-only-")
                .with(Map.of(ConfigKey.STATE_DIR.key(), state.toString()));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(FeatureProducer.producerProperties(config))) {
            final Flood flood = new Flood(producer, TimeUnit.SECONDS.toMillis(stallSeconds));
            TopicAdmin.ensureTopics(raw.kafkaProperties(), raw.topics(), partitions, (short) 1);
            final Flood.Round rawRound;
            try (KeyCount consumed = new KeyCount(raw, raw.topics().features(), run)) {
                rawRound = flood.run(raw.topics().features(), messages, () -> consumed.distinct("ref"),
                        (m, d) -> { });
            }
            TopicAdmin.ensureTopics(kafkaOnly.kafkaProperties(), kafkaOnly.topics(), partitions, (short) 1);
            Flood.Round kafkaOnlyRound = null;
            try (KafkaOnlyPipeline pipeline = new KafkaOnlyPipeline(kafkaOnly, run)) {
                // as many rounds as the stack had here, the last one timed: this JVM's Streams and
                // clients come up to speed as the stack's did
                long before = 0;
                for (int r = 0; r < rounds; r++) {
                    final long base = before;
                    kafkaOnlyRound = flood.run(kafkaOnly.topics().features(), messages,
                            () -> pipeline.delivered() - base, (m, d) -> { });
                    before = pipeline.delivered();
                }
            }
            out.println();
            out.printf(Locale.ROOT, "same broker, %,d records, %d partition(s): raw produce -> consume %,.0f events/s; "
                    + "the same topology, Kafka only %,.0f events/s (its round %d)%n", messages.size(), partitions,
                    rawRound.eventsPerSecond(), kafkaOnlyRound.eventsPerSecond(), rounds);
            out.printf(Locale.ROOT, "the stack's last round: %.2f of Kafka only, %.2f of raw%n",
                    last.eventsPerSecond() / kafkaOnlyRound.eventsPerSecond(),
                    last.eventsPerSecond() / rawRound.eventsPerSecond());
        } finally {
            removeRun(config, run, out);
            BenchStack.deleteQuietly(state);
        }
        out.flush();
    }

    /** The topics and groups of the reference runs, all named after the run, off the user's broker. */
    private static void removeRun(final KdConfig config, final String run, final PrintWriter out) {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            final List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(run)).toList();
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            admin.deleteConsumerGroups(List.of(run + "teacher", run + "server")).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.println("flood: could not remove the reference runs' topics and groups (" + run + "*): " + e);
        }
    }

    /** Where a slow first round lost its time: a start that takes nothing, or one that takes it slowly. */
    private static String bySecond(final RateCurve curve, final double seconds) {
        final long end = Math.round(seconds * 1000);
        final StringBuilder s = new StringBuilder();
        for (long millis = 1000; millis < end + 1000; millis += 1000) {
            s.append(millis == 1000 ? "" : " ").append(String.format(Locale.ROOT, "%,d",
                    curve.doneBy(Math.min(millis, end))));
        }
        return s.toString();
    }

    /** One round's records, made just before it: their event time is when the round starts. */
    private List<Flood.Message> prepare(final Dataset train, final String prefix) {
        final long ts = System.currentTimeMillis();
        final List<Flood.Message> messages = new ArrayList<>(records);
        final Iterator<FeatureMessage> it = BenchStack.messages(train, records, prefix);
        while (it.hasNext()) {
            final FeatureMessage m = it.next();
            messages.add(new Flood.Message(m.key(), m.value(ts)));
        }
        return messages;
    }

    public static void main(final String[] args) {
        System.exit(new CommandLine(new FloodBenchCommand()).execute(args));
    }
}
