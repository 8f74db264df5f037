package dev.kdstream.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.kafka.CommittedReader;
import dev.kdstream.contracts.kafka.DeadLetters;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.student.checkpoint.CheckpointException;
import dev.kdstream.student.checkpoint.CheckpointStore;
import dev.kdstream.student.metrics.Evaluation;
import dev.kdstream.student.trainer.TrainerStatus;

/** The trainer against a real broker: checkpoints, offsets, restarts, bad records. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    /** Topics of their own per test, small micro-batches and frequent checkpoints. */
    private static KdConfig config(final String prefix) {
        final KdConfig config = KdConfig.defaults().with(Map.ofEntries(
                Map.entry(ConfigKey.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers()),
                Map.entry(ConfigKey.TOPIC_FEATURES.key(), prefix + "-features"),
                Map.entry(ConfigKey.TOPIC_SOFT_TARGETS.key(), prefix + "-soft-targets"),
                Map.entry(ConfigKey.TOPIC_PREDICTIONS.key(), prefix + "-predictions"),
                Map.entry(ConfigKey.TOPIC_CHECKPOINTS.key(), prefix + "-checkpoints"),
                Map.entry(ConfigKey.TOPIC_FEATURES_DLQ.key(), prefix + "-features-dlq"),
                Map.entry(ConfigKey.TOPIC_CONTROL.key(), prefix + "-control"),
                Map.entry(ConfigKey.TOPIC_SHADOW_PREDICTIONS.key(), prefix + "-shadow-predictions"),
                Map.entry(ConfigKey.TOPIC_DRIFT_EVENTS.key(), prefix + "-drift-events"),
                Map.entry(ConfigKey.TOPIC_LABELS.key(), prefix + "-labels"),
                Map.entry(ConfigKey.TOPIC_LABELS_DLQ.key(), prefix + "-labels-dlq"),
                Map.entry(ConfigKey.STUDENT_BATCH_SIZE.key(), "32"),
                Map.entry(ConfigKey.CHECKPOINT_EVERY_RECORDS.key(), "200"),
                Map.entry(ConfigKey.CHECKPOINT_EVERY_SECONDS.key(), "1"),
                Map.entry(ConfigKey.METRICS_WINDOW.key(), "200"),
                Map.entry(ConfigKey.TRAINER_ID.key(), "it-" + prefix)));
        TopicAdmin.ensureTopics(config.kafkaProperties(), config.topics(), 2, (short) 1);
        return config;
    }

    @Test
    void trainsEveryRecordAndCheckpointsUpToTheEndOfTheTopic() throws Exception {
        final KdConfig config = config("fresh");
        SoftTargetStream.write(config, 0, 1000, List.of(
                "{not json".getBytes(StandardCharsets.UTF_8),
                "{\"features\":[1,2],\"teacherLogits\":[0,1],\"softTargets\":[0.5,0.5]}".getBytes(
                        StandardCharsets.UTF_8)));
        final long end = endOffsets(config);
        assertThat(end).isEqualTo(1002);

        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService trainer = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            final StudentCheckpoint last = awaitCheckpointAt(config, end);
            assertThat(last.recordsTrained()).isEqualTo(1000);
            assertThat(last.ensembleVersion()).isEqualTo(SoftTargetStream.ENSEMBLE);
            assertConsistent(CheckpointStore.all(config, trainerId(config)), 1);

            await(() -> trainer.status().version() == last.version() && trainer.status().lag() == 0);
            final TrainerStatus status = trainer.status();
            assertThat(status.state()).isEqualTo(TrainerStatus.State.RUNNING);
            assertThat(status.recordsTrained()).isEqualTo(1000);
            assertThat(status.deadLetters()).isEqualTo(2);
            assertThat(trainer.healthy()).isTrue();
            final Evaluation e = status.evaluation();
            // of 1000 records: 300 unlabelled, 100 (labelled) holdout, 600 labelled training records
            assertThat(e.prequentialRecords()).isEqualTo(600);
            assertThat(e.holdoutRecords()).isEqualTo(100);
            assertThat(e.cumulative().teacher()).isEqualTo(1.0);
            assertThat(e.window().distilled()).isBetween(0.0, 1.0);
            assertThat(e.holdout().baseline()).isBetween(0.0, 1.0);
            assertThat(e.klToTeacher()).isPositive();
            assertThat(status.line()).contains("v" + last.version()).contains("1,000 records");

            final String scrape = metrics.registry().scrape();
            assertThat(scrape).contains("kd_dead_letters_total{reason=\"malformed_json\",service=\"student-trainer\"} 1.0")
                    .contains("kd_dead_letters_total{reason=\"wrong_feature_count\",service=\"student-trainer\"} 1.0")
                    .contains("kd_accuracy{eval=\"prequential_cumulative\",model=\"teacher\",service=\"student-service\"} 1.0")
                    .contains("kd_model_version{model=\"distilled\",service=\"student-service\",stage=\"training\"} "
                            + last.version() + ".0")
                    .contains("kd_trainer_records_trained_total{model=\"distilled\"")
                    .contains("kd_trainer_checkpoints_total")
                    .contains("kd_trainer_teacher_trust{service=\"student-service\"} 1.0")
                    .contains("kafka_consumer_");
        }
    }

    @Test
    void aCleanRestartContinuesTheVersionsAndRedoesNothing() throws Exception {
        final KdConfig config = config("clean");
        SoftTargetStream.write(config, 0, 500, List.of());
        final StudentCheckpoint first;
        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService trainer = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            first = awaitCheckpointAt(config, 500);
        }
        // nothing consumed since that checkpoint: close() added none
        assertThat(CheckpointStore.latest(config, trainerId(config))).map(StudentCheckpoint::version)
                .contains(first.version());

        SoftTargetStream.write(config, 500, 700, List.of());
        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService trainer = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            assertThat(trainer.status().version()).isEqualTo(first.version());
            assertThat(trainer.status().recordsTrained()).isEqualTo(500);
            final StudentCheckpoint next = awaitCheckpointAt(config, 700);
            assertThat(next.version()).isEqualTo(first.version() + 1);
            assertThat(next.recordsTrained()).isEqualTo(700);
        }
        assertConsistent(CheckpointStore.all(config, trainerId(config)), 1);

        // asked to start from the beginning: fresh students, numbered after the lineage, every record again
        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService trainer = TrainerService.start(config, metrics, SoftTargetStream.setup(), true)) {
            assertThat(trainer.status().recordsTrained()).isZero();
            final long newest = CheckpointStore.latest(config, trainerId(config)).orElseThrow().version();
            final AtomicReference<StudentCheckpoint> retrained = new AtomicReference<>();
            await(() -> {
                final Optional<StudentCheckpoint> c = CheckpointStore.latest(config, trainerId(config));
                c.ifPresent(retrained::set);
                return c.isPresent() && c.get().version() > newest && c.get().recordsTrained() == 700;
            });
            assertThat(retrained.get().offsets().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(700);
        }
    }

    @Test
    void afterACrashMidStreamTheNextTrainerResumesFromTheLastCheckpoint() throws Exception {
        final KdConfig config = config("crash");
        final int total = 3000;
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        // the stream keeps arriving while the first trainer runs and dies
        final Thread producer = new Thread(() -> {
            try {
                for (int from = 0; from < total; from += 100) {
                    SoftTargetStream.write(config, from, from + 100, List.of());
                    Thread.sleep(100);
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "soft-target-producer");
        producer.start();

        final StudentCheckpoint beforeCrash;
        try (ServiceMetrics metrics = new ServiceMetrics("student-service")) {
            final TrainerService first = TrainerService.start(config, metrics, SoftTargetStream.setup());
            await(() -> first.status().version() >= 3);
            first.abandon();
            assertThat(first.status().state()).isEqualTo(TrainerStatus.State.STOPPED);
            beforeCrash = CheckpointStore.latest(config, trainerId(config)).orElseThrow();
        }
        assertThat(beforeCrash.recordsTrained()).isLessThan(total);

        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService second = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            assertThat(second.status().version()).isEqualTo(beforeCrash.version());
            assertThat(second.status().recordsTrained()).isEqualTo(beforeCrash.recordsTrained());
            producer.join(PATIENCE.toMillis());
            assertThat(producerFailure.get()).isNull();
            await(() -> CheckpointStore.latest(config, trainerId(config))
                    .filter(c -> c.recordsTrained() == total).isPresent());
            final StudentCheckpoint last = CheckpointStore.latest(config, trainerId(config)).orElseThrow();
            // every record counted once: the ones redone after the crash were not in beforeCrash's count
            assertThat(last.recordsTrained()).isEqualTo(total);
        }

        final List<StudentCheckpoint> all = CheckpointStore.all(config, trainerId(config));
        assertConsistent(all, 1);
        final int crashIndex = indexOf(all, beforeCrash.version());
        final StudentCheckpoint afterCrash = all.get(crashIndex + 1);
        assertThat(afterCrash.version()).isEqualTo(beforeCrash.version() + 1);
        assertThat(afterCrash.recordsTrained()).isGreaterThanOrEqualTo(beforeCrash.recordsTrained());
    }

    /**
     * A trainer whose checkpoints the broker refuses keeps training, says so in its metrics and
     * turns /health DOWN after {@code Checkpointer.FAILURES_BEFORE_DOWN} failed publishes in a row;
     * UP again at the next acknowledged one.
     */
    @Test
    void checkpointsThatFailToPublishTurnHealthDownUntilOneIsWritten() throws Exception {
        final KdConfig config = config("nopublish");
        // a limit no checkpoint fits in: the broker refuses every one at once
        maxMessageBytes(config, "1024");
        SoftTargetStream.write(config, 0, 300, List.of());
        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService trainer = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            await(() -> !trainer.healthy());
            assertThat(trainer.status().state()).isEqualTo(TrainerStatus.State.RUNNING);
            assertThat(trainer.status().recordsTrained()).isEqualTo(300);
            assertThat(metrics.registry().get(MetricNames.CHECKPOINT_PUBLISH_FAILURES).counter().count())
                    .isGreaterThanOrEqualTo(3);
            assertThat(metrics.registry().scrape()).contains("kd_trainer_checkpoint_publish_failures_total")
                    .contains("kd_trainer_checkpoint_age_seconds");
            assertThat(CheckpointStore.latest(config, trainerId(config))).isEmpty();

            maxMessageBytes(config, Integer.toString(TopicAdmin.CHECKPOINT_MAX_BYTES));
            await(trainer::healthy);
            // committed; a read_committed reader sees it once the transaction's markers are written
            await(() -> CheckpointStore.latest(config, trainerId(config)).isPresent());
            assertThat(metrics.registry().get(MetricNames.CHECKPOINT_AGE).gauge().value()).isLessThan(60);
        }
    }

    @Test
    void aCheckpointOfAnotherShapeIsRefusedWithAClearMessage() throws Exception {
        final KdConfig config = config("shape");
        final Standardizer scaler = new Standardizer(new double[3], new double[] {1, 1, 1});
        final byte[] student = StudentFile.toBytes(StudentModel.create(StudentManifest.DISTILLED, 3, 2,
                Hyperparameters.defaults(), scaler, "other", 1));
        final Properties p = config.kafkaProperties();
        final Topic<String, StudentCheckpoint> topic = Topics.of(config.topics()).checkpoints();
        try (KafkaProducer<String, StudentCheckpoint> producer = new KafkaProducer<>(p, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), trainerId(config), new StudentCheckpoint(
                    trainerId(config), 4, 10, Map.of(0, 5L), "other", 0, student, student))).get();
        }
        try (ServiceMetrics metrics = new ServiceMetrics("student-service")) {
            assertThatThrownBy(() -> TrainerService.start(config, metrics, SoftTargetStream.setup()))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("v4")
                    .hasMessageContaining(ConfigKey.TRAINER_ID.key());
            // nothing left registered by the failed start
            assertThat(metrics.registry().find(MetricNames.ACCURACY).meters()).isEmpty();
        }
    }

    @Test
    void trainsUnderTheLiveSettingsForItAndStampsThemOnItsCheckpoints() throws Exception {
        final KdConfig config = config("live");
        // set before it starts: a restarted trainer trains under the settings in force from its first record
        control(config, new LiveSettings(Map.of("distillation.alpha", "0.9",
                "student.learning.rate@" + trainerId(config), "0.004", "student.learning.rate@another", "1"), "it"));
        SoftTargetStream.write(config, 0, 300, List.of());
        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService trainer = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            StudentCheckpoint c = awaitCheckpointAt(config, 300);
            StudentManifest m = StudentFile.fromBytes("it", c.distilled()).manifest();
            assertThat(m.distillation().alpha()).isEqualTo(0.9);
            assertThat(m.hyperparameters().learningRate()).isEqualTo(0.004);
            assertThat(newestControlHeader(config)).isEqualTo("0");

            // refused by the trainer (alpha out of range): training goes on as it was
            control(config, new LiveSettings(Map.of("distillation.alpha", "7"), "it"));
            // then a change: the whole set is the new record, so the learning rate is the trainer's own again
            control(config, new LiveSettings(Map.of("student.weight.decay", "0.05"), "it"));
            await(() -> metrics.registry().scrape().contains("kd_control_version{part=\"trainer\",service=\"student-service\"} 2.0"));
            assertThat(metrics.registry().scrape()).contains(
                    "kd_control_refused_total{part=\"trainer\",reason=\"invalid\",service=\"student-service\"} 1.0");
            SoftTargetStream.write(config, 300, 600, List.of());
            c = awaitCheckpointAt(config, 600);
            m = StudentFile.fromBytes("it", c.distilled()).manifest();
            assertThat(m.hyperparameters().weightDecay()).isEqualTo(0.05);
            assertThat(m.hyperparameters().learningRate()).isEqualTo(Hyperparameters.defaults().student().learningRate());
            assertThat(m.distillation().alpha()).isEqualTo(SoftTargetStream.setup().hyperparameters().distillation()
                    .alpha());
            assertThat(newestControlHeader(config)).isEqualTo("2");
            assertThat(trainer.healthy()).isTrue();
        }
    }

    @Test
    void aTeacherGoneStalePublishesADriftEventWithTheNextCheckpointAndLosesTheTrust() throws Exception {
        final KdConfig config = config("stale");
        SoftTargetStream.write(config, 0, 1500, List.of());
        SoftTargetStream.write(config, 1500, 3000, List.of(), true);
        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService trainer = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            awaitCheckpointAt(config, 3000);
            final List<DriftEvent> events = new ArrayList<>();
            try (CommittedReader<String, DriftEvent> reader = new CommittedReader<>(
                    CommittedReader.config(config.kafkaProperties(), "it-drift"), new StringDeserializer(),
                    Topics.of(config.topics()).driftEvents().valueSerde().deserializer())) {
                final List<TopicPartition> partitions = reader.assignAll(config.topics().driftEvents(), PATIENCE);
                reader.read(reader.beginningOffsets(partitions, PATIENCE), reader.endOffsets(partitions, PATIENCE),
                        System.nanoTime() + PATIENCE.toNanos(), r -> events.add(r.value()));
            }
            assertThat(events).as("the teacher's errors went from none to all").anySatisfy(e -> {
                assertThat(e.signal()).isEqualTo(DriftEvent.TEACHER_ERROR);
                assertThat(e.trainerId()).isEqualTo(trainerId(config));
                assertThat(Integer.parseInt(e.recordId().substring(1))).isGreaterThanOrEqualTo(1500);
                assertThat(e.before()).isLessThan(0.1);
            });
            final String scrape = metrics.registry().scrape();
            assertThat(scrape).contains("kd_drift_detections_total{service=\"student-service\",signal=\"teacher_error\"}")
                    .contains("kd_trainer_teacher_trust{service=\"student-service\"} 0.0");
        }
    }

    /**
     * Labels on their own, 50 records after theirs, joined across a crash: the records read again to
     * rebuild the join train nothing twice, and the labels that cannot be used (too late, a second
     * one, an id never seen) are dead-lettered once each, with the reason.
     */
    @Test
    void lateLabelsAreJoinedAcrossACrashAndTheUnusableOnesDeadLetteredOnce() throws Exception {
        final KdConfig config = config("late").with(Map.of(ConfigKey.LABELS_WINDOW_MS.key(), "500"));
        final int total = 2000;
        final List<SoftTargetRecord> items = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            items.add(SoftTargetStream.unlabelled(i));
            if (i >= 60) {
                items.add(SoftTargetStream.lateLabel("r" + (i - 50), SoftTargetStream.record(i - 50).ts() + 50,
                        label(i - 50)));
            }
            if (i == 700) {
                // r0's window closed when the stream time passed 1,500
                items.add(SoftTargetStream.lateLabel("r0", 1_700, label(0)));
            } else if (i == 200) {
                // within r100's memory: its label came at i = 150
                items.add(SoftTargetStream.lateLabel("r100", 1_200, label(100)));
            } else if (i == 900) {
                items.add(SoftTargetStream.lateLabel("ghost", 1_900, 1));
            } else if (i == 300) {
                // a refresh's lesson: trained on, yet not a record of the stream, and its time not the stream's
                for (int k = 0; k < 20; k++) {
                    items.add(SoftTargetStream.rehearsal(k));
                }
            }
        }
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> {
            try {
                for (int from = 0; from < items.size(); from += 150) {
                    SoftTargetStream.write(config, items.subList(from, Math.min(items.size(), from + 150)));
                    Thread.sleep(100);
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "late-label-producer");
        producer.start();

        try (ServiceMetrics metrics = new ServiceMetrics("student-service")) {
            final TrainerService first = TrainerService.start(config, metrics, SoftTargetStream.setup());
            await(() -> first.status().version() >= 3);
            first.abandon();
        }
        try (ServiceMetrics metrics = new ServiceMetrics("student-service");
             TrainerService second = TrainerService.start(config, metrics, SoftTargetStream.setup())) {
            producer.join(PATIENCE.toMillis());
            assertThat(producerFailure.get()).isNull();
            await(() -> CheckpointStore.latest(config, trainerId(config))
                    .filter(c -> c.recordsTrained() == total).isPresent());
            final StudentCheckpoint last = CheckpointStore.latest(config, trainerId(config)).orElseThrow();
            assertThat(last.recordsTrained()).as("every record once, none of those read again for the join")
                    .isEqualTo(total);
            assertThat(last.labelJoin()).isNotEmpty();
            final long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (deadLetters(config).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(500);
            final List<ConsumerRecord<String, byte[]>> letters = deadLetters(config);
            assertThat(letters).extracting(r -> r.key() + " " + DeadLetters.header(r.headers(), DeadLetters.REASON))
                    .containsExactlyInAnyOrder("r0 expired", "r100 duplicate", "ghost unknown_id");
            assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8))
                    .startsWith("{\"id\":");
            assertThat(metrics.registry().scrape())
                    .containsPattern("kd_trainer_labels_total\\{outcome=\"joined\",service=\"student-service\"} [1-9]");
        }
    }

    private static int label(final int i) {
        return SoftTargetStream.record(i).label() != null ? SoftTargetStream.record(i).label()
                : SoftTargetStream.record(i).teacherLogits()[1] > 0 ? 1 : 0;
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(final KdConfig config) {
        final List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
        try (CommittedReader<String, byte[]> reader = new CommittedReader<>(
                CommittedReader.config(config.kafkaProperties(), "it-labels-dlq"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = reader.assignAll(config.topics().labelsDlq(), PATIENCE);
            reader.read(reader.beginningOffsets(partitions, PATIENCE), reader.endOffsets(partitions, PATIENCE),
                    System.nanoTime() + PATIENCE.toNanos(), letters::add);
        }
        return letters;
    }

    private static void control(final KdConfig config, final LiveSettings settings) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafkaProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.topics().control(), LiveSettings.RECORD_KEY, settings.toBytes()))
                    .get();
        }
    }

    /** The control version header of the newest checkpoint record, null if it has none. */
    private static String newestControlHeader(final KdConfig config) {
        final Properties p = CommittedReader.config(config.kafkaProperties(), "it-header");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final TopicPartition tp = new TopicPartition(config.topics().checkpoints(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            final long end = consumer.endOffsets(List.of(tp)).get(tp);
            Header newest = null;
            while (consumer.position(tp) < end) {
                for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    newest = r.headers().lastHeader(LiveSettings.VERSION_HEADER);
                }
            }
            return newest == null ? null : new String(newest.value(), StandardCharsets.UTF_8);
        }
    }

    /** Versions 1, 2, 3...; offsets and record counts never go backwards. */
    private static void assertConsistent(final List<StudentCheckpoint> checkpoints, final long firstVersion) {
        assertThat(checkpoints).isNotEmpty();
        StudentCheckpoint previous = null;
        for (final StudentCheckpoint c : checkpoints) {
            if (previous == null) {
                assertThat(c.version()).isEqualTo(firstVersion);
            } else {
                assertThat(c.version()).isEqualTo(previous.version() + 1);
                assertThat(c.recordsTrained()).isGreaterThanOrEqualTo(previous.recordsTrained());
                for (final Map.Entry<Integer, Long> e : previous.offsets().entrySet()) {
                    assertThat(c.offsets().get(e.getKey())).as("partition %d at v%d", e.getKey(), c.version())
                            .isGreaterThanOrEqualTo(e.getValue());
                }
            }
            assertThat(c.offsets()).containsOnlyKeys(0, 1);
            previous = c;
        }
    }

    private static int indexOf(final List<StudentCheckpoint> all, final long version) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).version() == version) {
                return i;
            }
        }
        throw new AssertionError("no checkpoint v" + version);
    }

    /** Waits for a checkpoint whose offsets add up to {@code end} (every record read). */
    private static StudentCheckpoint awaitCheckpointAt(final KdConfig config, final long end) throws Exception {
        final AtomicReference<StudentCheckpoint> found = new AtomicReference<>();
        await(() -> {
            final Optional<StudentCheckpoint> c = CheckpointStore.latest(config, trainerId(config));
            c.ifPresent(found::set);
            return c.isPresent() && c.get().offsets().values().stream().mapToLong(Long::longValue).sum() == end;
        });
        return found.get();
    }

    private static void maxMessageBytes(final KdConfig config, final String bytes) throws Exception {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, config.topics().checkpoints());
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    private static String trainerId(final KdConfig config) {
        return config.get(ConfigKey.TRAINER_ID);
    }

    private static long endOffsets(final KdConfig config) throws Exception {
        try (Admin admin = Admin.create(config.kafkaProperties())) {
            final String topic = config.topics().softTargets();
            return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
                            new TopicPartition(topic, 1), OffsetSpec.latest())).all().get().values().stream()
                    .mapToLong(i -> i.offset()).sum();
        }
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + PATIENCE);
            }
            Thread.sleep(200);
        }
    }
}
