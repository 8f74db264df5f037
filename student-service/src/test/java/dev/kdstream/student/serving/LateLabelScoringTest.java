package dev.kdstream.student.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.JsonSerde;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.model.served.ServedStudent;
import dev.kdstream.model.served.TestStudents;

/** The server scoring what it served for a record against the label that comes later for it. */
class LateLabelScoringTest {

    private static final int WIDTH = 20;
    private static final int CLASSES = 3;
    private static final long WINDOW = 10_000;
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private static StudentCheckpoint v1;
    private static StudentCheckpoint v2;
    private static ServedStudent served1;
    private static ServedStudent served2;
    private static double[][] raw;

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> features;
    private TestInputTopic<byte[], byte[]> labels;
    private TestInputTopic<String, StudentCheckpoint> checkpoints;

    @BeforeAll
    static void students() {
        final StudentModel first = TestStudents.student(WIDTH, CLASSES, List.of(8), 1);
        final StudentModel second = TestStudents.student(WIDTH, CLASSES, List.of(8), 2);
        v1 = TestStudents.checkpoint(1, first);
        v2 = TestStudents.checkpoint(2, second);
        served1 = ServedStudent.of(first);
        served2 = ServedStudent.of(second);
        raw = TestStudents.rawFeatures(40, first.manifest().scaler(), 5);
    }

    private void start(final Map<String, String> settings) {
        final KdConfig config = KdConfig.defaults().with(Map.of("state.dir", stateDir.toString(),
                "labels.window.ms", String.valueOf(WINDOW))).with(settings);
        final CurrentModel model = new CurrentModel(config.servedStudent(), config.shadowStudents());
        driver = new TopologyTestDriver(ServingTopology.topology(config, model, registry),
                ServingTopology.streamsConfig(config), START);
        features = driver.createInputTopic(TOPICS.features(), new ByteArraySerializer(), new ByteArraySerializer());
        labels = driver.createInputTopic(TOPICS.labels(), new ByteArraySerializer(), new ByteArraySerializer());
        checkpoints = driver.createInputTopic(TOPICS.checkpoints(), new StringSerializer(),
                JsonSerde.serdeFor(StudentCheckpoint.class).serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void record(final String id, final long ts, final int row, final Integer label) {
        features.pipeInput(new TestRecord<>(id.getBytes(StandardCharsets.UTF_8),
                TestStudents.featureJson(id, ts, raw[row], label, "train"), START.plusMillis(ts)));
    }

    private void label(final String id, final long ts, final int label) {
        labels.pipeInput(new TestRecord<>(id.getBytes(StandardCharsets.UTF_8),
                ("{\"id\":\"" + id + "\",\"label\":" + label + ",\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8),
                START.plusMillis(ts)));
    }

    private double late(final String student, final String role, final String outcome) {
        final Counter c = registry.find(MetricNames.STUDENT_PREDICTIONS_LATE).tag(MetricNames.STUDENT, student)
                .tag(MetricNames.ROLE, role).tag(MetricNames.OUTCOME, outcome).counter();
        return c == null ? 0 : c.count();
    }

    private double served(final String outcome) {
        return late(TestStudents.TRAINER, ServingMeters.SERVED, outcome);
    }

    private double labelsRead(final String outcome) {
        final Counter c = registry.find(MetricNames.SERVER_LABELS).tag(MetricNames.OUTCOME, outcome).counter();
        return c == null ? 0 : c.count();
    }

    private double records(final String stage) {
        final Counter c = registry.find(MetricNames.RECORDS).tag(MetricNames.STAGE, stage).counter();
        return c == null ? 0 : c.count();
    }

    /** Two rows version 1 answers with different classes. */
    private static int[] rowsAnsweredDifferently() {
        final int first = Probabilities.argmax(served1.probabilities(raw[0]));
        for (int row = 1; row < raw.length; row++) {
            if (Probabilities.argmax(served1.probabilities(raw[row])) != first) {
                return new int[] {0, row};
            }
        }
        throw new AssertionError("the test student answers every row alike");
    }

    /** A row the two checkpoints answer differently: what version 1 served, and what version 2 would. */
    private static int rowWhereTheyDiffer() {
        for (int row = 0; row < raw.length; row++) {
            if (Probabilities.argmax(served1.probabilities(raw[row])) != Probabilities.argmax(
                    served2.probabilities(raw[row]))) {
                return row;
            }
        }
        throw new AssertionError("the two test students agree on every row");
    }

    @Test
    void scoresTheAnswerServedWhenTheRecordCameNotTheNewerModelsTheLabelFinds() {
        start(Map.of());
        final int row = rowWhereTheyDiffer();
        final int servedClass = Probabilities.argmax(served1.probabilities(raw[row]));
        final int newerClass = Probabilities.argmax(served2.probabilities(raw[row]));
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        record("a", 1_000, row, null);
        record("b", 1_001, row, null);
        checkpoints.pipeInput(TestStudents.TRAINER, v2);

        label("a", 5_000, servedClass);
        label("b", 5_001, newerClass);

        assertThat(served(ServingMeters.CORRECT)).as("a: what version 1 served was right").isEqualTo(1);
        assertThat(served(ServingMeters.WRONG)).as("b: right only for version 2, which did not serve it")
                .isEqualTo(1);
        assertThat(labelsRead(ServingMeters.LABEL_JOINED)).isEqualTo(2);
    }

    @Test
    void aLabelThatComesBeforeItsRecordIsServedWaitsForIt() {
        start(Map.of());
        record("held", 1_000, 0, null);
        label("held", 1_500, 2);
        assertThat(labelsRead(ServingMeters.LABEL_EARLY)).as("no model yet: the record is held").isEqualTo(1);

        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        driver.advanceWallClockTime(PredictionProcessor.FLUSH_INTERVAL.plusMillis(1));

        final String outcome = Probabilities.argmax(served1.probabilities(raw[0])) == 2 ? ServingMeters.CORRECT
                : ServingMeters.WRONG;
        assertThat(served(outcome)).as("scored once the held record was answered").isEqualTo(1);
        assertThat(served(ServingMeters.CORRECT) + served(ServingMeters.WRONG)).isEqualTo(1);
        assertThat(labelsRead(ServingMeters.LABEL_EARLY_JOINED)).isEqualTo(1);
    }

    @Test
    void anEarlyLabelMeetsOnlyARecordWithinTheWindowAndInTheRangeOfTheModelThatCame() {
        start(Map.of());
        label("far", 1_000, 1);
        label("wide", 1_001, CLASSES + 1);
        assertThat(labelsRead(ServingMeters.LABEL_EARLY)).as("no model yet: any class is kept").isEqualTo(2);

        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        record("far", 1_000 + WINDOW + 1, 0, null);
        record("wide", 1_100, 1, null);

        assertThat(served(ServingMeters.CORRECT) + served(ServingMeters.WRONG)).isZero();
        assertThat(labelsRead(ServingMeters.LABEL_EARLY_JOINED)).isZero();
        assertThat(labelsRead(ServingMeters.LABEL_EARLY_REJECTED)).as("the model has " + CLASSES + " classes")
                .isEqualTo(1);
    }

    @Test
    void aLabelOlderThanTheStoreKeepsIsCountedExpired() {
        start(Map.of());
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        label("new", 100_000, 0);
        // the store keeps what is newer than its newest less the retention
        label("old", 100_000 - ServedLabelJoin.retention(WINDOW), 0);
        label("kept", 100_000 - ServedLabelJoin.retention(WINDOW) + 1, 0);
        assertThat(labelsRead(ServingMeters.LABEL_EARLY)).isEqualTo(2);
        assertThat(labelsRead(ServingMeters.LABEL_EXPIRED)).isEqualTo(1);

        record("kept", 100_000 - ServedLabelJoin.retention(WINDOW) + 2, 0, null);
        record("old", 100_000 - ServedLabelJoin.retention(WINDOW) + 2, 0, null);
        assertThat(labelsRead(ServingMeters.LABEL_EARLY_JOINED)).as("kept, and met by its record").isEqualTo(1);
        assertThat(records(ServingMeters.ANSWER_EXPIRED)).as("the answers to 'old' are older than kept too")
                .isZero();
        record("older", 100_000 - ServedLabelJoin.retention(WINDOW) - 5_000, 0, null);
        record("newest", 100_000, 0, null);
        record("oldest", 100_000 - ServedLabelJoin.retention(WINDOW), 0, null);
        assertThat(records(ServingMeters.ANSWER_EXPIRED)).isEqualTo(1);
    }

    @Test
    void aLabelScoresTheNewestAnswerToItsIdAcrossTheStoresSegmentsAndOnlyOnce() {
        start(Map.of());
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        final int[] rows = rowsAnsweredDifferently();
        // 60 s segments: 55 s and 61 s are in two
        record("twice", 55_000, rows[0], null);
        record("twice", 61_000, rows[1], null);
        label("twice", 60_000, Probabilities.argmax(served1.probabilities(raw[rows[1]])));
        label("twice", 60_001, 0);

        assertThat(served(ServingMeters.CORRECT)).as("the newer answer").isEqualTo(1);
        assertThat(served(ServingMeters.WRONG)).isZero();
        assertThat(labelsRead(ServingMeters.LABEL_EARLY)).as("both answers went with the first label").isEqualTo(1);
    }

    @Test
    void aRecordOrLabelStampedInTheFutureDoesNotEmptyTheStores() {
        start(Map.of());
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        final long now = START.toEpochMilli();
        final long nextYear = now + Duration.ofDays(365).toMillis();
        features.pipeInput(new TestRecord<>("future".getBytes(StandardCharsets.UTF_8),
                TestStudents.featureJson("future", nextYear, raw[0], null, "train"), Instant.ofEpochMilli(nextYear)));
        label("from-the-future", nextYear, 0);

        record("a", now, 1, null);
        label("a", now + 1_000, 0);
        label("b", now + 1_000, 0);
        record("b", now + 1_500, 2, null);

        assertThat(served(ServingMeters.CORRECT) + served(ServingMeters.WRONG)).as("a and b").isEqualTo(2);
        assertThat(labelsRead(ServingMeters.LABEL_EXPIRED)).isZero();
    }

    @Test
    void labelsOutsideTheWindowAgainOrForALabelledRecordScoreNothing() {
        start(Map.of());
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        record("late", 1_000, 0, null);
        record("inline", 1_001, 1, 0);
        record("twice", 1_002, 2, null);

        label("late", 1_000 + WINDOW + 1, 0);
        label("inline", 1_100, 0);
        label("twice", 1_200, 0);
        label("twice", 1_300, 1);

        assertThat(served(ServingMeters.CORRECT) + served(ServingMeters.WRONG)).as("only the first label of 'twice'")
                .isEqualTo(1);
        assertThat(labelsRead(ServingMeters.LABEL_JOINED)).isEqualTo(1);
        assertThat(labelsRead(ServingMeters.LABEL_EARLY)).as("held for a record that will not come").isEqualTo(3);
    }

    @Test
    void invalidLabelsAreCountedAndSkippedWithoutACrash() {
        start(Map.of());
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        record("a", 1_000, 0, null);
        for (final String bad : new String[] {"{not json", "{\"id\":\"a\"}", "{\"id\":\"a\",\"label\":3}", "[1]"}) {
            labels.pipeInput("a".getBytes(StandardCharsets.UTF_8), bad.getBytes(StandardCharsets.UTF_8));
        }
        labels.pipeInput("a".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        assertThat(labelsRead(ServingMeters.LABEL_REJECTED)).isEqualTo(5);

        label("a", 2_000, 1);
        assertThat(served(ServingMeters.CORRECT) + served(ServingMeters.WRONG)).as("the record still waited")
                .isEqualTo(1);
    }

    @Test
    void eachShadowsAnswerIsScoredAsWell() {
        start(Map.of("server.shadows", "other"));
        checkpoints.pipeInput(TestStudents.TRAINER, v1);
        checkpoints.pipeInput("other", v2);
        final int row = rowWhereTheyDiffer();
        record("a", 1_000, row, null);
        label("a", 2_000, Probabilities.argmax(served2.probabilities(raw[row])));

        assertThat(served(ServingMeters.WRONG)).isEqualTo(1);
        assertThat(late("other", ServingMeters.SHADOW, ServingMeters.CORRECT)).isEqualTo(1);
    }

    @Test
    void withLateLabelsOffTheServerNeitherReadsLabelsNorKeepsAnswers() {
        final KdConfig config = KdConfig.defaults().with(Map.of("state.dir", stateDir.toString(),
                "labels.window.ms", "0"));
        driver = new TopologyTestDriver(ServingTopology.topology(config, new CurrentModel(), registry),
                ServingTopology.streamsConfig(config), START);
        final TestInputTopic<byte[], byte[]> unread = driver.createInputTopic(TOPICS.labels(),
                new ByteArraySerializer(), new ByteArraySerializer());
        assertThatThrownBy(() -> unread.pipeInput("a".getBytes(StandardCharsets.UTF_8), "{}".getBytes(
                StandardCharsets.UTF_8))).as("no source reads it").hasMessageContaining(TOPICS.labels());
        assertThat(driver.getAllStateStores()).doesNotContainKeys(ServedLabelJoin.ANSWERS_STORE,
                ServedLabelJoin.EARLY_LABELS_STORE);
    }
}
