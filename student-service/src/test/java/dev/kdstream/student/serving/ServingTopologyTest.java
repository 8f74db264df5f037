package dev.kdstream.student.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.ControlMeters;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.kafka.JsonSerde;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.Prediction;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.model.served.TestStudents;
import dev.kdstream.model.served.ServedStudent;
import dev.kdstream.model.served.CheckpointLoader;

class ServingTopologyTest {

    private static final int WIDTH = 20;
    private static final int CLASSES = 3;
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private static StudentCheckpoint v1;
    private static StudentCheckpoint v2;
    private static StudentCheckpoint v3;
    private static ServedStudent served1;
    private static ServedStudent served2;
    private static double[][] raw;

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CurrentModel model = new CurrentModel();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> features;
    private TestInputTopic<String, StudentCheckpoint> checkpoints;
    private TestInputTopic<String, byte[]> rawCheckpoints;
    private TestOutputTopic<String, Prediction> predictions;

    @BeforeAll
    static void students() {
        final StudentModel first = TestStudents.student(WIDTH, CLASSES, List.of(8), 1);
        final StudentModel second = TestStudents.student(WIDTH, CLASSES, List.of(8), 2);
        final StudentModel third = TestStudents.student(WIDTH, CLASSES, List.of(8), 3);
        v1 = TestStudents.checkpoint(1, first);
        v2 = TestStudents.checkpoint(2, second);
        v3 = TestStudents.checkpoint(3, third);
        served1 = ServedStudent.of(first);
        served2 = ServedStudent.of(second);
        raw = TestStudents.rawFeatures(10, first.manifest().scaler(), 5);
    }

    @BeforeEach
    void start() {
        final KdConfig config = KdConfig.defaults().with(Map.of("state.dir", stateDir.toString()));
        final Properties props = ServingTopology.streamsConfig(config);
        driver = new TopologyTestDriver(ServingTopology.topology(config, model, registry), props, START);
        features = driver.createInputTopic(TOPICS.features(), new ByteArraySerializer(), new ByteArraySerializer());
        final Serde<StudentCheckpoint> checkpointSerde = JsonSerde.serdeFor(StudentCheckpoint.class);
        checkpoints = driver.createInputTopic(TOPICS.checkpoints(), new StringSerializer(),
                checkpointSerde.serializer());
        rawCheckpoints = driver.createInputTopic(TOPICS.checkpoints(), new StringSerializer(),
                new ByteArraySerializer());
        predictions = driver.createOutputTopic(TOPICS.predictions(), new StringDeserializer(),
                JsonSerde.serdeFor(Prediction.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void pipeFeature(final String id, final long ts, final double[] x, final Integer label,
                             final String split) {
        features.pipeInput(new TestRecord<>(id.getBytes(StandardCharsets.UTF_8),
                TestStudents.featureJson(id, ts, x, label, split), START.plusMillis(ts)));
    }

    private void pipeInvalid(final String value) {
        features.pipeInput("bad".getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private double records(final String stage) {
        return registry.get(MetricNames.RECORDS).tag(MetricNames.STAGE, stage).counter().count();
    }

    @Test
    void holdsRecordsUntilTheFirstCheckpointThenAnswersThemInOrder() {
        for (int i = 0; i < 3; i++) {
            pipeFeature("r" + i, 1000 + i, raw[i], i % CLASSES, "train");
        }
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(predictions.isEmpty()).as("no model, no made-up prediction").isTrue();
        assertThat(records(ServingMeters.HELD)).isEqualTo(3);
        final KeyValueStore<Long, ?> held = driver.getTimestampedKeyValueStore(ServingTopology.HELD_STORE);
        assertThat(held.approximateNumEntries()).isEqualTo(3);

        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        assertThat(model.version()).isEqualTo(1);
        driver.advanceWallClockTime(PredictionProcessor.FLUSH_INTERVAL.plusMillis(1));

        final List<TestRecord<String, Prediction>> out = predictions.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("r0", "r1", "r2");
        for (int i = 0; i < 3; i++) {
            final TestRecord<String, Prediction> r = out.get(i);
            assertThat(r.value().modelVersion()).isEqualTo(1);
            assertThat(r.value().ts()).isEqualTo(1000 + i);
            assertThat(r.getRecordTime()).as("the input's timestamp").isEqualTo(START.plusMillis(1000 + i));
            assertThat(r.value().probabilities()).containsExactly(served1.probabilities(raw[i]), within(1e-12));
        }
        try (var all = held.all()) {
            assertThat(all.hasNext()).as("held store emptied").isFalse();
        }
        assertThat(records(ServingMeters.PREDICTED)).isEqualTo(3);

        // with the store empty, records are answered straight away
        pipeFeature("r3", 2000, raw[3], null, "train");
        assertThat(predictions.readValue().id()).isEqualTo("r3");
    }

    @Test
    void answersHeldRecordsBeforeANewOneWhenTheModelArrivesBetween() {
        pipeFeature("early", 1000, raw[0], 1, "train");
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        // no punctuation yet: the next record flushes the held one first
        pipeFeature("late", 1001, raw[1], 1, "train");
        assertThat(predictions.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("early", "late");
    }

    @Test
    void answersEveryValidRecordOnceWithItsFieldsAndTheModelsProbabilities() {
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        pipeFeature("a", 10, raw[0], 2, "train");
        pipeFeature("b", 11, raw[1], null, "train");
        pipeFeature("c", 12, raw[2], 0, "holdout");

        final List<TestRecord<String, Prediction>> out = predictions.readRecordsToList();
        assertThat(out).hasSize(3);
        assertThat(out).extracting(TestRecord::key).containsExactly("a", "b", "c");
        assertThat(out).extracting(r -> r.value().id()).containsExactly("a", "b", "c");
        assertThat(out).extracting(r -> r.value().label()).containsExactly(2, null, 0);
        assertThat(out).extracting(r -> r.value().split()).containsExactly("train", "train", "holdout");
        for (int i = 0; i < 3; i++) {
            final Prediction p = out.get(i).value();
            assertThat(Arrays.stream(p.probabilities()).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(p.probabilities()).containsExactly(served1.probabilities(raw[i]), within(1e-12));
            assertThat(p.predictedClass()).isEqualTo(Probabilities.argmax(served1.logits(raw[i])));
            assertThat(p.modelVersion()).isEqualTo(1);
            assertThat(p.ensembleVersion()).isEqualTo(TestStudents.ENSEMBLE);
            assertThat(p.ts()).isEqualTo(10 + i);
            assertThat(p.servedAt()).isPositive();
        }
        assertThat(records(ServingMeters.PREDICTED)).isEqualTo(3);
        assertThat(registry.get(MetricNames.PREDICTION_LATENCY).timer().count()).isEqualTo(3);
        assertThat(registry.get(MetricNames.MODEL_VERSION).tag(MetricNames.MODEL, MetricNames.DISTILLED)
                .gauge().value()).isEqualTo(1.0);
    }

    @Test
    void swapsToEachNewCheckpoint() {
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        pipeFeature("a", 10, raw[0], 1, "train");
        checkpoints.pipeInput(TestStudents.TRAINER, v2);
        pipeFeature("b", 11, raw[1], 1, "train");
        checkpoints.pipeInput(TestStudents.TRAINER, v2);
        pipeFeature("c", 12, raw[2], 1, "train");

        final List<Prediction> out = predictions.readValuesToList();
        assertThat(out).extracting(Prediction::modelVersion).containsExactly(1L, 2L, 2L);
        assertThat(out.get(1).probabilities()).containsExactly(served2.probabilities(raw[1]), within(1e-12));
        assertThat(out.get(2).probabilities()).containsExactly(served2.probabilities(raw[2]), within(1e-12));
        assertThat(registry.get(MetricNames.MODEL_VERSION).gauge().value()).isEqualTo(2.0);
    }

    @Test
    void aStrayHugeVersionDoesNotPinTheServerAndAResetTrainerIsFollowed() {
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        final StudentCheckpoint huge = TestStudents.checkpoint(Long.MAX_VALUE - 1,
                TestStudents.student(WIDTH, CLASSES, List.of(8), 8));
        checkpoints.pipeInput(TestStudents.TRAINER, huge);
        pipeFeature("a", 10, raw[0], 1, "train");
        checkpoints.pipeInput(TestStudents.TRAINER, v2);
        pipeFeature("b", 11, raw[1], 1, "train");
        // a trainer reset (its checkpoints deleted, or a new lineage): it starts again at version 1
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        pipeFeature("c", 12, raw[2], 1, "train");

        assertThat(predictions.readValuesToList()).extracting(Prediction::modelVersion)
                .containsExactly(Long.MAX_VALUE - 1, 2L, 1L);
    }

    @Test
    void skipsInvalidRecordsWithoutAnswerOrCrash() {
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        pipeInvalid("{not json");
        pipeInvalid("{\"id\":\"short\",\"features\":[1,2,3]}");
        pipeInvalid("{\"id\":\"nan\",\"features\":[" + "NaN,".repeat(WIDTH - 1) + "NaN]}");
        pipeInvalid("{\"id\":\"label\",\"features\":[" + "0,".repeat(WIDTH - 1) + "0],\"label\":" + CLASSES + "}");
        pipeInvalid("{\"features\":[" + "0,".repeat(WIDTH - 1) + "0]}");
        pipeInvalid(null);
        pipeInvalid("{\"id\":\"big\",\"pad\":\"" + "x".repeat(300_000) + "\"}");
        pipeFeature("ok", 10, raw[0], 1, "train");

        assertThat(predictions.readValuesToList()).extracting(Prediction::id).containsExactly("ok");
        assertThat(records(ServingMeters.REJECTED)).isEqualTo(7);
    }

    @Test
    void skipsInvalidHeldRecordsWhenTheModelArrives() {
        pipeInvalid("{\"id\":\"short\",\"features\":[1,2,3]}");
        pipeInvalid(null);
        pipeFeature("ok", 10, raw[0], 1, "train");
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(predictions.readValuesToList()).extracting(Prediction::id).containsExactly("ok");
        assertThat(records(ServingMeters.REJECTED)).isEqualTo(2);
        assertThat(records(ServingMeters.HELD)).as("the tombstone is never held").isEqualTo(2);
    }

    @Test
    void keepsTheOldModelWhenACheckpointIsCorrupt() {
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        final StudentCheckpoint garbage = new StudentCheckpoint(TestStudents.TRAINER, 2, 0, Map.of(),
                TestStudents.ENSEMBLE, 0, "not a model".getBytes(StandardCharsets.UTF_8), null);
        checkpoints.pipeInput(TestStudents.TRAINER, garbage);
        rawCheckpoints.pipeInput(TestStudents.TRAINER, "{\"version\": tru".getBytes(StandardCharsets.UTF_8));
        checkpoints.pipeInput(TestStudents.TRAINER, new StudentCheckpoint(TestStudents.TRAINER, 2, 0, Map.of(),
                TestStudents.ENSEMBLE, 0, null, null));
        checkpoints.pipeInput(TestStudents.TRAINER, null);
        checkpoints.pipeInput(null, v2);
        pipeFeature("a", 10, raw[0], 1, "train");
        assertThat(predictions.readValue().modelVersion()).isEqualTo(1);

        checkpoints.pipeInput(TestStudents.TRAINER, v3);
        pipeFeature("b", 11, raw[1], 1, "train");
        assertThat(predictions.readValue().modelVersion()).isEqualTo(3);
    }

    @Test
    void refusesAndCountsCheckpointsThatAreUnsafeNonFiniteOrOfAnotherShape() throws IOException {
        checkpoints.pipeInput(TestStudents.TRAINER, v1);

        final StudentModel wider = TestStudents.student(WIDTH, CLASSES, List.of(16), 4);
        checkpoints.pipeInput(TestStudents.TRAINER, TestStudents.checkpoint(5, wider));
        final StudentModel nan = TestStudents.student(WIDTH, CLASSES, List.of(8), 5);
        nan.network().params().putScalar(3, Float.NaN);
        checkpoints.pipeInput(TestStudents.TRAINER, TestStudents.checkpoint(6, nan));
        final StudentCheckpoint v7 = TestStudents.checkpoint(7, TestStudents.student(WIDTH, CLASSES, List.of(8), 6));
        final byte[] unsafe = withNetworkEntry(v7.distilled(), "preprocessor.bin",
                new byte[] {(byte) 0xac, (byte) 0xed});
        checkpoints.pipeInput(TestStudents.TRAINER, new StudentCheckpoint(TestStudents.TRAINER, 7, 700, Map.of(),
                TestStudents.ENSEMBLE, 0, unsafe, unsafe));
        checkpoints.pipeInput(TestStudents.TRAINER, new StudentCheckpoint(TestStudents.TRAINER, 8, 800, Map.of(),
                TestStudents.ENSEMBLE, 0, "not a model".getBytes(StandardCharsets.UTF_8), null));

        pipeFeature("a", 10, raw[0], 1, "train");
        assertThat(predictions.readValue().modelVersion()).as("still the first model").isEqualTo(1);
        for (final String reason : List.of(CheckpointLoader.SHAPE, CheckpointLoader.NON_FINITE,
                CheckpointLoader.UNSAFE_BYTES, CheckpointLoader.CORRUPT)) {
            assertThat(registry.get(MetricNames.CHECKPOINTS_REFUSED).tag(MetricNames.REASON, reason).counter()
                    .count()).as(reason).isEqualTo(1.0);
        }

        checkpoints.pipeInput(TestStudents.TRAINER, TestStudents.checkpoint(9,
                TestStudents.student(WIDTH, CLASSES, List.of(8), 7)));
        pipeFeature("b", 11, raw[1], 1, "train");
        assertThat(predictions.readValue().modelVersion()).as("a good checkpoint is served again").isEqualTo(9);
    }

    /** The student file with one more entry in its DL4J network zip. */
    private static byte[] withNetworkEntry(final byte[] studentFile, final String name, final byte[] bytes)
            throws IOException {
        final Map<String, byte[]> archive = unzip(studentFile);
        final Map<String, byte[]> network = unzip(archive.get("network.dl4j.zip"));
        network.put(name, bytes);
        archive.put("network.dl4j.zip", zip(network));
        return zip(archive);
    }

    private static Map<String, byte[]> unzip(final byte[] zip) throws IOException {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zip(final Map<String, byte[]> entries) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void servesOnlyTheConfiguredTrainer() {
        checkpoints.pipeInput("another-trainer", v2);
        assertThat(model.get()).isNull();
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        assertThat(model.version()).isEqualTo(1);
    }

    @Test
    void shadowsOtherStudentsOnTheirTopicAndSwitchesTheServedOneThroughTheControlTopic() {
        stop();
        final CurrentModel roster = new CurrentModel("student", KdConfig.defaults().with(
                Map.of("server.shadows", "small, student,small")).shadowStudents());
        // its own: the gauges of the topology started before this test hold that topology's values
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final KdConfig config = KdConfig.defaults().with(Map.of("state.dir", stateDir.resolve("shadow").toString(),
                "server.shadows", "small, student,small"));
        driver = new TopologyTestDriver(ServingTopology.topology(config, roster, registry),
                ServingTopology.streamsConfig(config), START);
        features = driver.createInputTopic(TOPICS.features(), new ByteArraySerializer(), new ByteArraySerializer());
        checkpoints = driver.createInputTopic(TOPICS.checkpoints(), new StringSerializer(),
                JsonSerde.serdeFor(StudentCheckpoint.class).serializer());
        predictions = driver.createOutputTopic(TOPICS.predictions(), new StringDeserializer(),
                JsonSerde.serdeFor(Prediction.class).deserializer());
        final TestOutputTopic<String, Prediction> shadow = driver.createOutputTopic(TOPICS.shadowPredictions(),
                new StringDeserializer(), JsonSerde.serdeFor(Prediction.class).deserializer());
        final TestInputTopic<String, byte[]> control = driver.createInputTopic(TOPICS.control(), new StringSerializer(),
                new ByteArraySerializer());

        final StudentModel small = TestStudents.student(WIDTH, CLASSES, List.of(4), 9);
        final ServedStudent smallServed = ServedStudent.of(small);
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        checkpoints.pipeInput("small", TestStudents.checkpoint(4, small));
        pipeFeature("a", 10, raw[0], 1, "train");
        final Prediction served = predictions.readValue();
        assertThat(served.student()).isEqualTo("student");
        assertThat(served.modelVersion()).isEqualTo(1);
        final Prediction shadowed = shadow.readValue();
        assertThat(shadowed.student()).isEqualTo("small");
        assertThat(shadowed.modelVersion()).isEqualTo(4);
        assertThat(shadowed.probabilities()).containsExactly(smallServed.probabilities(raw[0]), within(1e-12));
        assertThat(shadow.isEmpty()).as("the served student is not its own shadow").isTrue();
        assertThat(outcomes(registry, "small", ServingMeters.SHADOW) + outcomes(registry, "student",
                ServingMeters.SERVED)).isEqualTo(2);

        control.pipeInput(LiveSettings.RECORD_KEY, new LiveSettings(Map.of("server.student", "small"), "t").toBytes());
        pipeFeature("b", 11, raw[1], null, "train");
        assertThat(predictions.readValue().student()).as("switched at the next record").isEqualTo("small");
        assertThat(shadow.readValue().student()).as("the one served before, a configured shadow").isEqualTo("student");
        assertThat(registry.get(MetricNames.CONTROL_VERSION).tag(MetricNames.PART, MetricNames.SERVER).gauge().value())
                .isEqualTo(0);

        // a trainer without a checkpoint: still 'small' until its first one arrives
        control.pipeInput(LiveSettings.RECORD_KEY, new LiveSettings(Map.of("server.student", "late"), "t").toBytes());
        pipeFeature("c", 12, raw[2], 0, "train");
        assertThat(predictions.readValue().student()).isEqualTo("small");
        checkpoints.pipeInput("late", TestStudents.checkpoint(1, TestStudents.student(WIDTH, CLASSES, List.of(8), 3)));
        pipeFeature("d", 13, raw[3], 0, "train");
        assertThat(predictions.readValue().student()).isEqualTo("late");

        control.pipeInput(LiveSettings.RECORD_KEY, "{not json".getBytes(StandardCharsets.UTF_8));
        control.pipeInput(LiveSettings.RECORD_KEY, "{\"settings\":{\"server.student@x\":\"y\"}}"
                .getBytes(StandardCharsets.UTF_8));
        pipeFeature("e", 14, raw[4], 0, "train");
        assertThat(predictions.readValue().student()).as("refused: nothing changes").isEqualTo("late");
        assertThat(registry.get(MetricNames.CONTROL_REFUSED).tag(MetricNames.PART, MetricNames.SERVER)
                .tag(MetricNames.REASON, ControlMeters.MALFORMED).counter().count()).isEqualTo(2);

        // c (served: small) by student; d and e (served: late) by small and student
        assertThat(shadow.readValuesToList()).extracting(Prediction::student)
                .containsExactly("student", "small", "student", "small", "student");
        // none set: back to the configured student and shadows
        control.pipeInput(LiveSettings.RECORD_KEY, LiveSettings.NONE.toBytes());
        pipeFeature("f", 15, raw[5], 0, "train");
        assertThat(predictions.readValue().student()).isEqualTo("student");
        assertThat(shadow.readValuesToList()).extracting(Prediction::student).containsExactly("small");

        // shadows set live: 'late' as well
        control.pipeInput(LiveSettings.RECORD_KEY, new LiveSettings(Map.of("server.shadows", "late,small"), "t")
                .toBytes());
        pipeFeature("g", 16, raw[6], 0, "train");
        assertThat(shadow.readValuesToList()).extracting(Prediction::student).containsExactly("late", "small");
    }

    private static double outcomes(final SimpleMeterRegistry registry, final String student, final String role) {
        return registry.find(MetricNames.STUDENT_PREDICTIONS).tag(MetricNames.STUDENT, student)
                .tag(MetricNames.ROLE, role).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
