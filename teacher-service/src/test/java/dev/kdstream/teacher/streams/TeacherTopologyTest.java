package dev.kdstream.teacher.streams;

import static dev.kdstream.teacher.TinyEnsemble.featureJson;
import static dev.kdstream.teacher.TinyEnsemble.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.kafka.DeadLetters;
import dev.kdstream.teacher.refresh.EnsembleRefresher;
import dev.kdstream.teacher.refresh.Lesson;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.InvalidRecordException.Reason;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.teacher.TinyEnsemble;

class TeacherTopologyTest {

    private static final String APP_ID = "kd-teacher-test";
    private static final int MAX_BYTES = 1024;
    private static final Duration LONG_LINGER = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    private final TeacherEnsemble ensemble = TinyEnsemble.ensemble();
    private final EnsembleManifest manifest = ensemble.manifest();
    private final Dataset data = TinyEnsemble.data();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> features;
    private TestOutputTopic<String, SoftTargetRecord> softTargets;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void start(final int batchSize, final Duration linger) {
        final KdConfig config = KdConfig.defaults().with(Map.of(
                "teacher.batch.size", Integer.toString(batchSize),
                "teacher.linger.ms", Long.toString(linger.toMillis()),
                "max.record.bytes", Integer.toString(MAX_BYTES),
                "state.dir", stateDir.toString()));
        driver = new TopologyTestDriver(TeacherTopology.topology(config, ensemble, registry, Uuid.randomUuid()),
                TeacherTopology.streamsConfig(config, APP_ID), Instant.EPOCH);
        features = driver.createInputTopic("features", new ByteArraySerializer(), new ByteArraySerializer());
        softTargets = driver.createOutputTopic("soft-targets", new StringDeserializer(),
                Topics.defaults().softTargets().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic("features-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void annotatesEveryValidRecordOnceWithTheEnsemblesSoftTargets() {
        start(4, LONG_LINGER);
        final int n = 8;
        for (int i = 0; i < n; i++) {
            features.pipeInput(utf8("r" + i), featureJson("r" + i, 1_000L + i, data.features()[i], data.labels()[i],
                    i % 2 == 0 ? "train" : "holdout"), 5_000L + i);
        }
        // two full batches of 4: flushed on size, no punctuation needed
        final List<TestRecord<String, SoftTargetRecord>> out = softTargets.readRecordsToList();
        assertThat(out).hasSize(n);

        final double[][] expectedLogits = independentLogits(Arrays.copyOf(data.features(), n));
        for (int i = 0; i < n; i++) {
            final TestRecord<String, SoftTargetRecord> r = out.get(i);
            final SoftTargetRecord s = r.value();
            assertThat(r.key()).isEqualTo("r" + i);
            assertThat(r.timestamp()).as("the input's timestamp").isEqualTo(5_000L + i);
            assertThat(s.id()).isEqualTo("r" + i);
            assertThat(s.ts()).isEqualTo(1_000L + i);
            assertThat(s.features()).as("raw, not scaled").containsExactly(data.features()[i]);
            assertThat(s.label()).isEqualTo(data.labels()[i]);
            assertThat(s.split()).isEqualTo(i % 2 == 0 ? "train" : "holdout");
            assertThat(s.temperature()).isEqualTo(manifest.temperature());
            assertThat(s.ensembleVersion()).isEqualTo(manifest.versionId());
            assertThat(s.teacherLogits()).containsExactly(expectedLogits[i], within(1e-5));
            assertThat(Arrays.stream(s.softTargets()).sum()).isCloseTo(1.0, within(1e-6));
            assertThat(s.softTargets()).containsExactly(
                    Probabilities.softmax(expectedLogits[i], manifest.temperature()), within(1e-5));
        }
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(registry.get(MetricNames.RECORDS).tag(MetricNames.STAGE, TeacherMetrics.RECEIVED).counter().count())
                .isEqualTo(n);
        assertThat(registry.get(MetricNames.RECORDS).tag(MetricNames.STAGE, TeacherMetrics.ANNOTATED).counter().count())
                .isEqualTo(n);
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().count()).isEqualTo(2);
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().totalAmount()).isEqualTo(n);
        assertThat(registry.get(MetricNames.TEACHER_BATCH_LATENCY).timer().count()).isEqualTo(2);
    }

    @Test
    void labelsPassOnToTheirRecordsPartitionAsLateLabelsAndInvalidOnesGoToTheirDeadLetterTopic() {
        start(1, LONG_LINGER);
        final TestInputTopic<byte[], byte[]> labels = driver.createInputTopic("labels", new ByteArraySerializer(),
                new ByteArraySerializer());
        final TestOutputTopic<byte[], byte[]> labelsDlq = driver.createOutputTopic("labels-dlq",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        labels.pipeInput(utf8("r1"), utf8("{\"id\":\"r1\",\"label\":1,\"ts\":1234}"), 2_000L);
        labels.pipeInput(utf8("r2"), utf8("{\"id\":\"r2\",\"label\":" + manifest.numClasses() + "}"), 2_001L);
        labels.pipeInput(utf8("r3"), utf8("{\"id\":\"r3\"}"), 2_002L);
        labels.pipeInput(utf8("r4"), utf8("not json"), 2_003L);

        final List<TestRecord<String, SoftTargetRecord>> out = softTargets.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).as("keyed by id: the partition of its record").isEqualTo("r1");
        final SoftTargetRecord label = out.get(0).value();
        assertThat(label.lateLabel()).isTrue();
        assertThat(label.label()).isEqualTo(1);
        assertThat(label.ts()).isEqualTo(1234L);
        assertThat(label.features()).isEmpty();
        assertThat(labelsDlq.readRecordsToList()).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                .containsExactly("label_out_of_range", "missing_field", "malformed_json");
        assertThat(registry.get(MetricNames.TEACHER_LABELS_FORWARDED).counter().count()).isEqualTo(1);
    }

    @Test
    void afterADriftReportTheEnsembleIsRetrainedOnTheNextLabelledRecordsAndSwappedInWhenBetter() throws Exception {
        final KdConfig config = KdConfig.defaults().with(Map.of("teacher.batch.size", "1",
                "teacher.refresh.records", "500", "state.dir", stateDir.toString()));
        try (EnsembleRefresher refresher = TeacherTopology.refresher(config, ensemble, null, registry);
             TopologyTestDriver d = new TopologyTestDriver(TeacherTopology.topology(config, refresher, registry,
                     Uuid.randomUuid()), TeacherTopology.streamsConfig(config, APP_ID), Instant.EPOCH)) {
            final TestInputTopic<byte[], byte[]> in = d.createInputTopic("features", new ByteArraySerializer(),
                    new ByteArraySerializer());
            final TestOutputTopic<String, SoftTargetRecord> out = d.createOutputTopic("soft-targets",
                    new StringDeserializer(), Topics.defaults().softTargets().valueSerde().deserializer());
            d.createInputTopic("drift-events", new StringSerializer(), new ByteArraySerializer()).pipeInput("student",
                    Json.MAPPER.writeValueAsBytes(new DriftEvent("student", DriftEvent.TEACHER_ERROR, "adwin", 1, "x",
                            0, 0.1, 0.6, System.currentTimeMillis(), manifest.versionId())));
            // the concept moved: every label on by one class
            for (int i = 0; i < 500; i++) {
                final int row = i % data.size();
                in.pipeInput(utf8("r" + i), featureJson("r" + i, (long) i, data.features()[row],
                        (data.labels()[row] + 1) % data.numClasses(), "train"), i);
            }
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (refresher.current() == ensemble && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(refresher.current().manifest().versionId()).isEqualTo(manifest.versionId() + "+1");
            out.readRecordsToList();
            in.pipeInput(utf8("after"), featureJson("after", 1L, data.features()[0], null, "train"), 501);
            in.pipeInput(utf8("after2"), featureJson("after2", 2L, data.features()[1], null, "train"), 502);
            final List<SoftTargetRecord> after = out.readValuesToList();
            assertThat(after).extracting(SoftTargetRecord::ensembleVersion).containsOnly(manifest.versionId() + "+1");
            // the refresh's lesson first, once: the 500 records it learnt from, with their (moved) labels
            final int lesson = 500;
            assertThat(after).hasSize(lesson + 2);
            assertThat(after.subList(0, lesson)).allSatisfy(r -> {
                assertThat(r.selection()).isEqualTo(Selection.REHEARSAL);
                assertThat(r.id()).startsWith(Lesson.ID_PREFIX);
                assertThat(r.softTargets()).hasSize(data.numClasses());
            });
            assertThat(after.subList(0, lesson)).extracting(SoftTargetRecord::label).containsExactlyElementsOf(
                    IntStream.range(0, lesson).mapToObj(i -> (data.labels()[i % data.size()] + 1) % data.numClasses())
                            .toList());
            assertThat(after.subList(lesson, after.size())).extracting(SoftTargetRecord::id)
                    .containsExactly("after", "after2");
            assertThat(registry.get(MetricNames.TEACHER_REFRESHES).tag(MetricNames.OUTCOME, EnsembleRefresher.SWAPPED)
                    .counter().count()).isEqualTo(1);
        }
    }

    @Test
    void withoutALabelWindowTheTeacherDoesNotReadLabels() {
        final KdConfig config = KdConfig.defaults().with(Map.of("labels.window.ms", "0",
                "state.dir", stateDir.toString()));
        try (TopologyTestDriver noLabels = new TopologyTestDriver(TeacherTopology.topology(config, ensemble,
                registry, Uuid.randomUuid()), TeacherTopology.streamsConfig(config, APP_ID), Instant.EPOCH)) {
            assertThat(noLabels.producedTopicNames()).doesNotContain("labels-dlq");
            assertThatThrownBy(() -> noLabels.createInputTopic("labels", new ByteArraySerializer(),
                    new ByteArraySerializer()).pipeInput(utf8("r1"), utf8("{}")))
                    .hasMessageContaining("Unknown topic");
        }
    }

    @Test
    void aControlRecordChangesTheBudgetAtTheNextRecordAndAnInvalidOneChangesNothing() {
        start(1, Duration.ofMillis(100));
        final TestInputTopic<String, byte[]> control = driver.createInputTopic("control", new StringSerializer(),
                new ByteArraySerializer());
        // a budget no record passes: every labelled training record is passed on without soft targets
        control.pipeInput(LiveSettings.RECORD_KEY, new LiveSettings(Map.of("teacher.budget", "1e-9"), "test")
                .toBytes());
        pipeValid(0);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final TestRecord<String, SoftTargetRecord> passedOn = softTargets.readRecord();
        assertThat(passedOn.value().selection()).isEqualTo(Selection.LABEL_ONLY);
        assertThat(new String(passedOn.headers().lastHeader(LiveSettings.VERSION_HEADER).value(),
                StandardCharsets.UTF_8)).as("the control record's offset").isEqualTo("0");

        // refused: the teacher budget must be in (0, 1]; the budget in force stays
        control.pipeInput(LiveSettings.RECORD_KEY, new LiveSettings(Map.of("teacher.budget", "7"), "test").toBytes());
        control.pipeInput(LiveSettings.RECORD_KEY, "{not json".getBytes(StandardCharsets.UTF_8));
        pipeValid(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(softTargets.readRecord().value().selection()).isEqualTo(Selection.LABEL_ONLY);
        assertThat(registry.get(MetricNames.CONTROL_REFUSED).tag(MetricNames.REASON, "invalid").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.CONTROL_REFUSED).tag(MetricNames.REASON, "malformed").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.CONTROL_VERSION).gauge().value()).isEqualTo(0);

        // none set: back to the teacher's own configuration, every record annotated, under its own version
        control.pipeInput(LiveSettings.RECORD_KEY, LiveSettings.NONE.toBytes());
        pipeValid(2);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final TestRecord<String, SoftTargetRecord> annotated = softTargets.readRecord();
        assertThat(annotated.value().selection()).isEqualTo(Selection.UNIFORM);
        assertThat(new String(annotated.headers().lastHeader(LiveSettings.VERSION_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("3");
        assertThat(registry.get(MetricNames.CONTROL_VERSION).gauge().value()).isEqualTo(3);
    }

    @Test
    void aLiveTemperatureMakesTheSoftTargetsOfTheNextRecordsAndAScopedTrainerKeyIsNotTheTeachers() {
        start(1, Duration.ofMillis(100));
        final TestInputTopic<String, byte[]> control = driver.createInputTopic("control", new StringSerializer(),
                new ByteArraySerializer());
        control.pipeInput(LiveSettings.RECORD_KEY, new LiveSettings(Map.of("distillation.temperature", "7.5",
                "distillation.temperature@student-b", "1"), "test").toBytes());
        pipeValid(0);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final SoftTargetRecord hot = softTargets.readRecord().value();
        assertThat(hot.temperature()).isEqualTo(7.5);
        assertThat(hot.softTargets()).containsExactly(Probabilities.softmax(hot.teacherLogits(), 7.5), within(1e-6));

        control.pipeInput(LiveSettings.RECORD_KEY, new LiveSettings(Map.of("distillation.temperature", "-1"), "test")
                .toBytes());
        pipeValid(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(softTargets.readRecord().value().temperature()).as("refused: T stays").isEqualTo(7.5);
        assertThat(registry.get(MetricNames.CONTROL_REFUSED).tag(MetricNames.REASON, "invalid").counter().count())
                .isEqualTo(1);

        control.pipeInput(LiveSettings.RECORD_KEY, LiveSettings.NONE.toBytes());
        pipeValid(2);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(softTargets.readRecord().value().temperature()).isEqualTo(manifest.temperature());
    }

    @Test
    void flushesWhenTheBatchIsFull() {
        start(3, LONG_LINGER);
        pipeValid(0);
        pipeValid(1);
        assertThat(softTargets.isEmpty()).as("a batch of 3 is not full with 2").isTrue();
        assertThat(position()).as("buffered from offset 0 on").isEqualTo(0L);

        pipeValid(2);
        assertThat(softTargets.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r0", "r1", "r2");
        assertThat(position()).isEqualTo(3L);
    }

    @Test
    void flushesAPartialBatchWhenTheLingerPunctuationFindsOne() {
        final Duration linger = Duration.ofMillis(50);
        start(100, linger);
        pipeValid(0);
        pipeValid(1);
        assertThat(softTargets.isEmpty()).isTrue();

        driver.advanceWallClockTime(linger);
        assertThat(softTargets.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r0", "r1");
        assertThat(position()).isEqualTo(2L);

        // an empty buffer: the punctuation annotates nothing and records no batch
        driver.advanceWallClockTime(linger);
        assertThat(softTargets.isEmpty()).isTrue();
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().count()).isEqualTo(1);
    }

    static Stream<Arguments> invalidRecords() {
        final String nineFeatures = "[1,2,3,4,5,6,7,8,9]";
        final String padding = "x".repeat(MAX_BYTES);
        return Stream.of(
                Arguments.of("malformed JSON", utf8("{\"id\":\"b\",\"features\":[1,2"), Reason.MALFORMED_JSON),
                Arguments.of("wrong feature count", utf8("{\"id\":\"b\",\"features\":" + nineFeatures + "}"),
                        Reason.WRONG_FEATURE_COUNT),
                Arguments.of("NaN literal", utf8("{\"id\":\"b\",\"features\":[1,NaN,3,4,5,6]}"), Reason.NON_FINITE),
                Arguments.of("label out of range", utf8("{\"id\":\"b\",\"features\":[1,2,3,4,5,6],\"label\":3}"),
                        Reason.LABEL_OUT_OF_RANGE),
                Arguments.of("oversize", utf8("{\"id\":\"b\",\"features\":[1,2,3,4,5,6],\"pad\":\"" + padding + "\"}"),
                        Reason.OVERSIZE),
                Arguments.of("bad split", utf8("{\"id\":\"b\",\"features\":[1,2,3,4,5,6],\"split\":\"test\"}"),
                        Reason.BAD_SPLIT),
                Arguments.of("tombstone", null, Reason.MISSING_FIELD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void deadLettersAnInvalidRecordByteForByteWithItsReason(final String what, final byte[] value,
                                                            final Reason reason) {
        start(2, Duration.ofMillis(10));
        pipeValid(0);
        final RecordHeaders original = new RecordHeaders();
        original.add("trace-id", utf8("abc"));
        features.pipeInput(new TestRecord<>(utf8("bad-key"), value, original, 7_000L));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        final List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        final TestRecord<byte[], byte[]> d = dead.get(0);
        assertThat(d.key()).isEqualTo(utf8("bad-key"));
        assertThat(d.value()).isEqualTo(value);
        assertThat(d.timestamp()).isEqualTo(7_000L);
        assertThat(DeadLetters.header(d.headers(), DeadLetters.REASON)).isEqualTo(reason.tag());
        assertThat(DeadLetters.header(d.headers(), DeadLetters.MESSAGE)).isNotBlank();
        assertThat(DeadLetters.header(d.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("features");
        assertThat(DeadLetters.header(d.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(DeadLetters.header(d.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(DeadLetters.header(d.headers(), DeadLetters.SERVICE)).isEqualTo(TeacherTopology.SERVICE);
        assertThat(DeadLetters.header(d.headers(), "trace-id")).as("original headers kept").isEqualTo("abc");

        // only the valid record was annotated
        assertThat(softTargets.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r0");
        assertThat(registry.get(MetricNames.DEAD_LETTERS).tag(MetricNames.REASON, reason.tag()).counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.DEAD_LETTERS).counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(1);
    }

    @Test
    void keepsGoingAfterInvalidRecords() {
        start(2, LONG_LINGER);
        pipeValid(0);
        features.pipeInput(utf8("x1"), utf8("not json"));
        pipeValid(1);
        features.pipeInput(utf8("x2"), utf8("{\"id\":\"x2\",\"features\":[1]}"));
        pipeValid(2);
        pipeValid(3);

        assertThat(softTargets.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r0", "r1", "r2", "r3");
        final List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).extracting(d -> DeadLetters.header(d.headers(), DeadLetters.SOURCE_OFFSET))
                .containsExactly("1", "3");
        assertThat(dead).extracting(d -> DeadLetters.header(d.headers(), DeadLetters.REASON))
                .containsExactly(Reason.MALFORMED_JSON.tag(), Reason.WRONG_FEATURE_COUNT.tag());
    }

    @Test
    void unlabelledRecordsGetSoftTargetsToo() {
        start(3, LONG_LINGER);
        final double[] x = data.features()[0];
        features.pipeInput(utf8("u1"), featureJson("u1", 10L, x, null, null), 100L);
        features.pipeInput(utf8("u2"),
                utf8("{\"id\":\"u2\",\"features\":" + Arrays.toString(x) + ",\"label\":null,\"split\":\"holdout\"}"),
                200L);
        features.pipeInput(utf8("u3"), featureJson("u3", null, x, null, "train"), 300L);

        final List<SoftTargetRecord> out = softTargets.readValuesToList();
        assertThat(out).extracting(SoftTargetRecord::id).containsExactly("u1", "u2", "u3");
        assertThat(out).allSatisfy(s -> {
            assertThat(s.label()).isNull();
            assertThat(Arrays.stream(s.softTargets()).sum()).isCloseTo(1.0, within(1e-6));
        });
        assertThat(out).extracting(SoftTargetRecord::split).containsExactly("train", "holdout", "train");
        assertThat(out.get(2).ts()).as("no ts: the Kafka timestamp").isEqualTo(300L);
    }

    /**
     * What lets a crashed teacher's buffer be rebuilt: the position in a changelogged store, written
     * when a task reads its first record, after each flush and past dead letters; the records
     * themselves are read again from the input. (TopologyTestDriver can neither restore a store nor read a topic again;
     * SoftTargetAnnotatorTest shows what a restored position leads to, and TeacherServiceIT
     * restarts a teacher on a real broker.)
     */
    @Test
    void theChangelogHoldsThePositionNotTheRecords() {
        start(10, LONG_LINGER);
        pipeValid(0);
        features.pipeInput(utf8("bad"), utf8("{}"));
        pipeValid(2);
        assertThat(softTargets.isEmpty()).isTrue();

        final String changelog = APP_ID + "-" + TeacherTopology.POSITION_STORE + "-changelog";
        final TestOutputTopic<String, Long> changes = driver.createOutputTopic(changelog, new StringDeserializer(),
                new LongDeserializer());
        assertThat(changes.readKeyValuesToList()).extracting(kv -> kv.key)
                .as("the task's first record, with the id of the topic it is in; nothing per record after it")
                .containsExactly(SoftTargetAnnotator.POSITION, StoredPosition.TOPIC_ID_HIGH,
                        StoredPosition.TOPIC_ID_LOW);

        driver.advanceWallClockTime(LONG_LINGER);
        assertThat(softTargets.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r0", "r2");
        assertThat(changes.readValuesToList()).as("one write per flush, past the last record annotated")
                .containsExactly(3L);
        assertThat(position()).isEqualTo(3L);

        features.pipeInput(utf8("bad"), utf8("{}"));
        features.pipeInput(utf8("bad"), utf8("{}"));
        driver.advanceWallClockTime(LONG_LINGER);
        assertThat(changes.readValuesToList()).as("past dead letters too, once a linger").containsExactly(5L);
        assertThat(softTargets.isEmpty()).isTrue();
        assertThat(deadLetters.readValuesToList()).as("the first bad record and these two").hasSize(3);
    }

    private void pipeValid(final int row) {
        features.pipeInput(utf8("r" + row), featureJson("r" + row, (long) row, data.features()[row],
                data.labels()[row], "train"), row);
    }

    private Long position() {
        final KeyValueStore<String, Long> store = driver.getKeyValueStore(TeacherTopology.POSITION_STORE);
        return store.get(SoftTargetAnnotator.POSITION);
    }

    /** The ensemble's mean logits for raw rows, one record at a time, outside the app. */
    private double[][] independentLogits(final double[][] rows) {
        final double[][] logits = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            logits[i] = ensemble.logits(Nd4j.createFromArray(new float[][] {manifest.scaler().transform(rows[i])}))
                    .toDoubleVector();
        }
        return logits;
    }
}
