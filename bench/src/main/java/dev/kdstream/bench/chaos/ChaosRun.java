package dev.kdstream.bench.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.ListOffsetsOptions;

import dev.kdstream.bench.chaos.ChaosOptions.Fault;
import dev.kdstream.bench.chaos.KdProcess.KdRuntime;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.teacher.budget.TeacherBudget;
import dev.kdstream.teacher.budget.UniformDraw;

/**
 * The fault-injection run, after Kafka's streams_eos_test.py: a broker ({@code ./kd broker}),
 * teacher instances, the trainer and serving replicas, each its own OS process; a producer streams
 * while a schedule kills them (SIGKILL) and restarts the broker (SIGTERM, SIGKILL); then a
 * read_committed verifier checks that nothing was lost or duplicated (see {@link ChaosVerdict}).
 */
final class ChaosRun {

    static final int PARTITIONS = 4;
    static final String TEACHER_GROUP = "kd-teacher";
    static final String SERVER_GROUP = "kd-server";
    /** How long the stack may take to drain the input once the producer has finished and the faults are over. */
    private static final Duration DRAIN = Duration.ofMinutes(3);

    private final ChaosOptions o;
    private final PrintWriter out;
    private final TopicNames topics = KdConfig.defaults().topics();
    private final List<KdProcess> teachers = new ArrayList<>();
    private final List<KdProcess> servers = new ArrayList<>();
    private KdProcess broker;
    private KdProcess trainer;
    private Properties client;
    private final long runStart = System.nanoTime();

    ChaosRun(final ChaosOptions options, final PrintWriter out) {
        this.o = options;
        this.out = out;
    }

    /** What a run reports: the verdict and the figures around it. */
    record Report(ChaosVerdict verdict, long produced, long failedSends, double seconds,
                  List<Long> rereadEstimates) {
    }

    /**
     * What a broker SIGKILL may take beyond the bound: the restarted single-node broker fences its
     * previous incarnation only after its session (9 s), and a transaction it leaves hanging then is
     * aborted by the teachers' sweeper after two scans 5 s apart (docs/platform.md, "Hanging
     * transactions after a broker SIGKILL").
     */
    static final double BROKER_KILL_ALLOWANCE_SECONDS = 15;

    /** The records count in the trainer's status line, {@code trainer student running v4 | 3,895 records | ...}. */
    private static final Pattern STATUS_RECORDS = Pattern.compile("\\| ([\\d,]+) records \\|");

    private final Thread cleanup = new Thread(this::killAll, "chaos-cleanup");

    Report run(final Path repoRoot) throws Exception {
        return run(repoRoot, schedule());
    }

    /** @param schedule the faults, in order */
    Report run(final Path repoRoot, final List<Fault> schedule) throws Exception {
        final KdRuntime runtime = KdRuntime.of(repoRoot);
        Runtime.getRuntime().addShutdownHook(cleanup);
        final Path work = o.workDir();
        final Path logs = Files.createDirectories(work.resolve("logs"));
        final Path ensemble = work.resolve("models/ensemble.kdm");
        train(runtime, ensemble, logs);

        final int port = freePort();
        final String bootstrap = "localhost:" + port;
        client = new Properties();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        broker = new KdProcess("broker", runtime, "1g", o.logLevel(), List.of("broker", "--port", Integer.toString(port),
                "--data-dir", work.resolve("broker").toString()), Map.of(), logs.resolve("broker.log"));
        broker.start();
        try (Admin admin = Admin.create(adminConfig())) {
            awaitBroker(admin);
            TopicAdmin.ensureTopics(client, topics, PARTITIONS, (short) 1);
            log("broker %s up, topics with %d partitions", bootstrap, PARTITIONS);
            for (int i = 1; i <= o.teacherInstances(); i++) {
                teachers.add(service("teacher-" + i, runtime, logs, work, List.of("teacher", "serve",
                        "--bootstrap-servers", bootstrap, "--ensemble", ensemble.toString()), Map.of(
                        "KD_TEACHER_BUDGET", Double.toString(o.teacherBudget()),
                        "KD_TEACHER_SAMPLER", TeacherBudget.UNIFORM)));
            }
            trainer = service("trainer", runtime, logs, work, List.of("student", "--role", "trainer",
                    "--bootstrap-servers", bootstrap, "--ensemble", ensemble.toString(), "--status-every", "1"),
                    Map.of("KD_CHECKPOINT_EVERY_RECORDS", Long.toString(o.checkpointEveryRecords())));
            for (int i = 1; i <= o.serverReplicas(); i++) {
                servers.add(service("server-" + i, runtime, logs, work, List.of("student", "--role", "server",
                        "--bootstrap-servers", bootstrap, "--status-every", "0"), Map.of()));
            }
            all().forEach(KdProcess::start);

            final CheckpointTap tap = new CheckpointTap(client, topics.checkpoints());
            final Thread tapThread = new Thread(tap, "chaos-checkpoint-tap");
            tapThread.setDaemon(true);
            tapThread.start();
            final ChaosProducer producer = new ChaosProducer(client, topics.features(),
                    TrainTestSplit.seedDefault().train(), o.records(), o.rate());
            final Thread producerThread = new Thread(producer, "chaos-producer");
            producerThread.setDaemon(true);
            producerThread.start();

            final RecoveryProbe probe = new RecoveryProbe(admin, topics, tap, trainer);
            final StringBuilder upDetail = new StringBuilder();
            final double up = probe.await(null, RecoveryProbe.Snapshot.NOTHING, runStart,
                    Duration.ofMinutes(4), upDetail);
            if (Double.isNaN(up)) {
                checkAlive();
                throw new IllegalStateException("the stack did not start processing within 4 minutes: see " + logs);
            }
            log("stack processing after %.1f s (all %d features partitions moving in both groups, a checkpoint: %s)",
                    up, PARTITIONS, upDetail);
            final List<ChaosVerdict.Recovery> recoveries = new ArrayList<>();
            final List<Long> rereads = new ArrayList<>();
            int teacherTurn = 0;
            int serverTurn = 0;
            for (final Fault fault : schedule) {
                final KdProcess target = switch (fault) {
                    case TEACHER -> teachers.get(teacherTurn++ % teachers.size());
                    case SERVER -> servers.get(serverTurn++ % servers.size());
                    case TRAINER -> trainer;
                    case BROKER_TERM, BROKER_KILL -> broker;
                };
                final RecoveryProbe.Snapshot beforeKill = probe.snapshot();
                List<Long> trainedAtKill = List.of();
                final String label;
                if (fault == Fault.BROKER_TERM) {
                    label = "SIGTERM broker";
                    broker.stop(60);
                } else {
                    label = "SIGKILL " + target.name();
                    trainedAtKill = fault == Fault.TRAINER ? statusRecords(trainer) : List.of();
                    target.kill();
                }
                Thread.sleep(1000);
                // what was committed before the kill may become visible just after it: not a recovery
                final RecoveryProbe.Snapshot before = probe.afterKill(beforeKill, target == broker);
                if (!trainedAtKill.isEmpty()) {
                    // its successor resumes from the newest checkpoint: what was trained after it is read again
                    rereads.add(Math.max(0, trainedAtKill.get(trainedAtKill.size() - 1) - before.checkpointRecords()));
                }
                target.start();
                final StringBuilder detail = new StringBuilder();
                final double seconds = probe.await(fault, before, target.startedNanos(),
                        Duration.ofSeconds((long) Math.max(60, 3 * o.recoveryBound())), detail);
                recoveries.add(new ChaosVerdict.Recovery(label, seconds, fault == Fault.BROKER_KILL
                        ? o.recoveryBound() + BROKER_KILL_ALLOWANCE_SECONDS : o.recoveryBound()));
                if (producer.done()) {
                    // without new input a recovery cannot be seen: the figures after this one would be void
                    log("the producer finished before the schedule: lower --rate so that input flows throughout");
                }
                log("%-22s recovered %s after its start%s (produced %,d so far)", label,
                        Double.isNaN(seconds) ? "NEVER" : String.format(Locale.ROOT, "%.1f s", seconds),
                        detail.isEmpty() ? "" : "; " + detail, producer.sent());
                checkAlive();
                Thread.sleep(1000);
            }
            producerThread.join();
            log("producer done: %,d records acknowledged (%,d valid, %,d invalid), %d failed",
                    producer.ackedValid().size() + producer.ackedInvalid().size(), producer.ackedValid().size(),
                    producer.ackedInvalid().size(), producer.failed());

            // the producer is done: which of its records the budget leaves out is known from their ids
            final Set<String> leftOut = leftOut(producer);
            final Map<String, TopicTally> tallies = drain(producer, leftOut);
            for (final KdProcess p : List.of(servers, List.of(trainer), teachers).stream().flatMap(List::stream)
                    .toList()) {
                p.stop(60);
            }
            final int open = openTransactions(admin, topics.softTargets());
            tap.close();
            tapThread.join(5000);
            final ChaosVerdict verdict = new ChaosVerdict(producer.ackedValid(), producer.ackedInvalid(), leftOut,
                    tallies.get(topics.softTargets()).counts(), tallies.get(topics.featuresDlq()).counts(),
                    tallies.get(topics.predictions()).counts(), tap.seen(), o.checkpointEveryRecords(), open,
                    recoveries);
            tallies.values().forEach(TopicTally::close);
            return new Report(verdict, producer.sent(), producer.failed(), (System.nanoTime() - runStart) / 1e9,
                    rereads);
        } finally {
            killAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** Every service killed and the broker stopped, also when the run itself is stopped (Ctrl-C). */
    private void killAll() {
        try {
            for (final KdProcess p : all()) {
                p.kill();
            }
            if (broker != null) {
                broker.stop(30);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The faults in an order that mixes the kinds: every service kind is hit before any is hit twice. */
    List<Fault> schedule() {
        final Map<Fault, Integer> left = new LinkedHashMap<>();
        left.put(Fault.TEACHER, o.teacherKills());
        left.put(Fault.TRAINER, o.trainerKills());
        left.put(Fault.SERVER, o.serverKills());
        left.put(Fault.BROKER_KILL, (o.brokerRestarts() + 1) / 2);
        left.put(Fault.BROKER_TERM, o.brokerRestarts() / 2);
        final List<Fault> schedule = new ArrayList<>();
        while (left.values().stream().anyMatch(n -> n > 0)) {
            for (final Map.Entry<Fault, Integer> e : left.entrySet()) {
                if (e.getValue() > 0) {
                    schedule.add(e.getKey());
                    e.setValue(e.getValue() - 1);
                }
            }
        }
        return schedule;
    }

    private void train(final KdRuntime runtime, final Path ensemble, final Path logs) throws Exception {
        final KdProcess train = new KdProcess("train", runtime, "2g", "warn", List.of("teacher", "train", "-q", "--teachers",
                Integer.toString(o.ensembleTeachers()), "--teacher-epochs", "3", "--out", ensemble.toString()),
                Map.of(), logs.resolve("train.log"));
        train.start();
        if (train.awaitExit(600) != 0) {
            throw new IllegalStateException("training the ensemble failed: see " + train.log());
        }
        log("ensemble of %d teachers trained", o.ensembleTeachers());
    }

    private KdProcess service(final String name, final KdRuntime runtime, final Path logs, final Path work,
                              final List<String> args, final Map<String, String> extraEnv) {
        final Map<String, String> env = new HashMap<>(extraEnv);
        env.put("KD_METRICS_PORT", Integer.toString(freePort()));
        env.put("KD_STATE_DIR", work.resolve("state").resolve(name).toString());
        env.put("KD_INSTANCE_ID", name);
        env.put("KD_TOPIC_PARTITIONS", Integer.toString(PARTITIONS));
        return new KdProcess(name, runtime, "768m", o.logLevel(), args, env, logs.resolve(name + ".log"));
    }

    private List<KdProcess> all() {
        final List<KdProcess> all = new ArrayList<>(teachers);
        if (trainer != null) {
            all.add(trainer);
        }
        all.addAll(servers);
        return all;
    }

    /** A service that exits by itself is a failure of the run, not a fault of the schedule. */
    private void checkAlive() {
        for (final KdProcess p : all()) {
            if (!p.alive()) {
                throw new IllegalStateException(p.name() + " stopped by itself (" + p.exitDescription() + "): see "
                        + p.log());
            }
        }
    }

    /**
     * The valid records the teachers' budget leaves out: unlabelled training records its uniform draw
     * did not choose. None where labels may come later (the services' default): the teachers then pass
     * those on unannotated, and each must have its soft-target record like any other.
     */
    private Set<String> leftOut(final ChaosProducer producer) {
        if (KdConfig.defaults().lateLabelWindowMs() > 0) {
            return Set.of();
        }
        return producer.ackedUnlabelledTraining().stream()
                .filter(id -> !UniformDraw.below(id, o.teacherBudget())).collect(Collectors.toUnmodifiableSet());
    }

    private Map<String, TopicTally> drain(final ChaosProducer producer, final Set<String> leftOut)
            throws InterruptedException {
        final Map<String, TopicTally> tallies = new LinkedHashMap<>();
        for (final String t : List.of(topics.softTargets(), topics.featuresDlq(), topics.predictions())) {
            tallies.put(t, new TopicTally(client, t, PARTITIONS));
        }
        final long deadline = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < deadline) {
            tallies.values().forEach(t -> t.poll(Duration.ofMillis(200)));
            final boolean complete = producer.ackedValid().stream()
                    .allMatch(id -> (leftOut.contains(id) || tallies.get(topics.softTargets()).count(id) > 0)
                            && tallies.get(topics.predictions()).count(id) > 0)
                    && producer.ackedInvalid().stream().allMatch(id -> tallies.get(topics.featuresDlq()).count(id) > 0);
            if (complete) {
                // a little longer: a duplicate arriving late must be counted too
                final long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < settle) {
                    tallies.values().forEach(t -> t.poll(Duration.ofMillis(200)));
                }
                log("drained: every record answered");
                return tallies;
            }
            checkAlive();
        }
        log("drain timed out after %d s: the verdict counts what is missing", DRAIN.toSeconds());
        return tallies;
    }

    /** Partitions whose last stable offset is behind the log end: a transaction nobody will finish. */
    private static int openTransactions(final Admin admin, final String topic) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        // a stopped producer's transaction is aborted by the coordinator within the transaction timeout
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int open;
        do {
            final ListOffsetsResult committed = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
            final ListOffsetsResult uncommitted = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED));
            open = 0;
            for (final TopicPartition tp : latest.keySet()) {
                if (committed.partitionResult(tp).get().offset() < uncommitted.partitionResult(tp).get().offset()) {
                    open++;
                }
            }
            if (open > 0) {
                Thread.sleep(500);
            }
        } while (open > 0 && System.nanoTime() < deadline);
        return open;
    }

    /**
     * The records trained that the trainer's status lines (printed every second) counted since its
     * last start, in order: lower bounds, each a second late at most. Empty before the first line.
     */
    static List<Long> statusRecords(final KdProcess trainer) {
        try {
            final List<Long> records = new ArrayList<>();
            final Matcher m = STATUS_RECORDS.matcher(trainer.logSinceStart());
            while (m.find()) {
                records.add(Long.parseLong(m.group(1).replace(",", "")));
            }
            return records;
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    private Properties adminConfig() {
        final Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return p;
    }

    private void awaitBroker(final Admin admin) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (!broker.alive()) {
                    throw new IllegalStateException("the broker stopped (" + broker.exitDescription() + "): see "
                            + broker.log());
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the broker did not come up within 90 s: see " + broker.log());
    }

    private void log(final String format, final Object... args) {
        out.printf(Locale.ROOT, "[%6.1f s] " + format + "%n", prepend((System.nanoTime() - runStart) / 1e9, args));
        out.flush();
    }

    private static Object[] prepend(final Object first, final Object[] rest) {
        final Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }


    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Group offsets, as the recovery probe reads them. */
    static Map<TopicPartition, Long> committed(final Admin admin, final String group) throws Exception {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS).entrySet()) {
            if (e.getValue() != null) {
                offsets.put(e.getKey(), e.getValue().offset());
            }
        }
        return offsets;
    }
}
