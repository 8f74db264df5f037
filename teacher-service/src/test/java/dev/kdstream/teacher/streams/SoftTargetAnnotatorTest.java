package dev.kdstream.teacher.streams;

import static dev.kdstream.teacher.TinyEnsemble.featureJson;
import static dev.kdstream.teacher.TinyEnsemble.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.SoftTargetCodec;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.model.served.ServedStudent;
import dev.kdstream.model.served.TestStudents;
import dev.kdstream.teacher.TinyEnsemble;
import dev.kdstream.teacher.budget.LiveBudget;
import dev.kdstream.teacher.drift.DriftAlarm;
import dev.kdstream.teacher.refresh.EnsembleRefresher;
import dev.kdstream.teacher.refresh.Refresh;
import dev.kdstream.teacher.budget.TeacherBudget;
import dev.kdstream.teacher.budget.Uncertainty;
import dev.kdstream.teacher.budget.UniformDraw;

/**
 * The annotator on its own, started with a position in its store and records to read again: what
 * a task's next owner finds after a crash (TopologyTestDriver cannot restore a store or read a
 * topic again, so both are simulated here; TeacherServiceIT does it for real).
 */
class SoftTargetAnnotatorTest {

    private static final Duration LINGER = Duration.ofMillis(100);
    private static final Duration MAX_WAIT = Duration.ofMillis(500);
    private static final String INPUT = "features";
    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    private final TeacherEnsemble ensemble = TinyEnsemble.ensemble();
    private final EnsembleRefresher ensembles = new EnsembleRefresher(ensemble, Refresh.MIN_RECORDS, null,
            new SimpleMeterRegistry());
    private final EnsembleManifest manifest = ensemble.manifest();
    private final Dataset data = TinyEnsemble.data();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FeatureParser parser = new FeatureParser(manifest.inputWidth(), manifest.numClasses(), 1024);
    /** What the fake input topic holds for the annotator to read again, and what it was asked. */
    private final List<ConsumerRecord<byte[], byte[]>> committedInput = new ArrayList<>();
    private final List<String> replayCalls = new ArrayList<>();
    /** How many reads again time out before one succeeds. */
    private int replayTimeouts;
    private MockProcessorContext<String, SoftTargetRecord> context;
    private KeyValueStore<String, Long> store;
    private SoftTargetAnnotator annotatorUnderTest;
    private TeacherBudget budget = TeacherBudget.of(KdConfig.defaults());
    private boolean lateLabels;
    private final DriftAlarm alarm = new DriftAlarm(0, () -> { });
    private long driftBoost;
    private final CurrentModel student = new CurrentModel();

    @BeforeEach
    void createStore() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(0);
        store = MockedPositionStore.in(context);
    }

    @Test
    void readsAgainWhatThePreviousOwnerLeftAndAnnotatesItOnTheFirstPunctuation() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        committed(5, 6, 7);
        started(10);
        assertThat(replayCalls).as("never reads from init: an exception there would stop the client").isEmpty();
        assertThat(context.forwarded()).as("never forwards from init").isEmpty();

        punctuate();
        assertThat(replayCalls).containsExactly(context.applicationId() + " " + INPUT + "-0 from 5 up to committed");
        assertThat(scheduled(SoftTargetAnnotator.REPLAY_DELAY).cancelled()).as("read once").isTrue();
        assertThat(forwardedIds()).containsExactly("r5", "r6", "r7");
        assertThat(context.forwarded()).extracting(f -> f.record().timestamp())
                .as("the input timestamps").containsExactly(1005L, 1006L, 1007L);
        assertThat(position()).as("past the last annotated").isEqualTo(8L);
    }

    @Test
    void countsRecordsReadAgainTowardsTheNextBatch() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        committed(5, 6, 7);
        started(4);
        replayPunctuation();

        process(8);
        assertThat(forwardedIds()).as("3 read again + 1 new = a full batch, oldest first")
                .containsExactly("r5", "r6", "r7", "r8");
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().count()).isEqualTo(1);
        assertThat(position()).isEqualTo(9L);
    }

    @Test
    void drainsMoreThanABatchInBatchSizedInferences() {
        // e.g. the batch size was lowered between two runs
        store.put(SoftTargetAnnotator.POSITION, 1L);
        committed(1, 2, 3, 4, 5);
        started(2);

        punctuate();
        assertThat(forwardedIds()).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().count()).isEqualTo(3);
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().max()).isEqualTo(2);
        assertThat(position()).isEqualTo(6L);
    }

    /**
     * A cold thread gets a few records between two punctuations: flushed at each linger, they made
     * batches of one or two records while a backlog waited. Records written longer than a linger
     * ago mean the teacher is behind: the batch then waits to fill, up to the max wait.
     */
    @Test
    void behindOnItsInputABatchWaitsToFillUpToTheMaxWait() {
        started(10);
        punctuate();
        context.setCurrentSystemTimeMs(5_000);
        process(1);
        process(2);
        // records written at 1,001 and 1,002, now 5,000: behind
        lingerPunctuation(5_000 + LINGER.toMillis());
        assertThat(context.forwarded()).as("behind: waits for more").isEmpty();
        lingerPunctuation(5_000 + MAX_WAIT.toMillis() - 1);
        assertThat(context.forwarded()).isEmpty();
        lingerPunctuation(5_000 + MAX_WAIT.toMillis());
        assertThat(forwardedIds()).as("the max wait is up").containsExactly("r1", "r2");

        // caught up: the newest record is younger than a linger, flushed at the linger as before
        context.setCurrentSystemTimeMs(1_003);
        process(3);
        lingerPunctuation(1_003 + LINGER.toMillis());
        assertThat(forwardedIds()).containsExactly("r1", "r2", "r3");
    }

    private void lingerPunctuation(final long now) {
        scheduled(LINGER).getPunctuator().punctuate(now);
    }

    @Test
    void skipsRecordsReadAgainThatAreInvalidNow() {
        store.put(SoftTargetAnnotator.POSITION, 4L);
        committed(4);
        committedInput.add(new ConsumerRecord<>(INPUT, 0, 5, utf8("bad"), utf8("{}")));
        committed(6);
        started(10);

        punctuate();
        assertThat(forwardedIds()).as("the invalid one was dead-lettered when first read").containsExactly("r4", "r6");
        assertThat(position()).isEqualTo(7L);
    }

    @Test
    void movesPastARecordReadAgainThatIsInvalidNowWhenItIsTheLast() {
        store.put(SoftTargetAnnotator.POSITION, 4L);
        committed(4);
        committedInput.add(new ConsumerRecord<>(INPUT, 0, 5, utf8("bad"), utf8("{}")));
        started(10);

        punctuate();
        assertThat(forwardedIds()).containsExactly("r4");
        assertThat(position()).isEqualTo(6L);
    }

    @Test
    void aDeadLetterAsATasksFirstRecordSetsThePositionToo() {
        started(10);
        deadLettered(2);
        assertThat(position()).isEqualTo(2L);
        punctuate();
        assertThat(position()).isEqualTo(3L);
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void aTasksFirstRecordSetsThePositionAndNothingIsReadAgainWithoutOne() {
        started(10);
        assertThat(replayCalls).as("a task that never saw a record has nothing to read again").isEmpty();

        process(3);
        assertThat(position()).as("buffered, not annotated: read again from here")
                .isEqualTo(3L);
        process(4);
        assertThat(position()).isEqualTo(3L);
        punctuate();
        assertThat(position()).isEqualTo(5L);
    }

    @Test
    void startingAgainOnTheSameProcessorForgetsTheBufferAndReadsItAgain() {
        // a task suspended and resumed, or revived after corruption: Kafka Streams calls init again
        final SoftTargetAnnotator annotator = started(10);
        process(3);
        process(4);
        committed(3, 4);
        annotator.init(context);

        punctuate();
        assertThat(forwardedIds()).as("each once: read again, not also kept").containsExactly("r3", "r4");
        assertThat(position()).isEqualTo(5L);
    }

    @Test
    void movesThePositionPastDeadLettersSoThatARunOfThemIsNotReadAgain() {
        started(10);
        process(3);
        punctuate();
        assertThat(position()).isEqualTo(4L);

        for (int offset = 4; offset < 9; offset++) {
            deadLettered(offset);
        }
        assertThat(position()).as("no write per dead letter").isEqualTo(4L);
        punctuate();
        assertThat(position()).isEqualTo(9L);
        assertThat(forwardedIds()).containsExactly("r3");

        process(9);
        deadLettered(10);
        punctuate();
        assertThat(position()).as("past the dead letter after the last valid record")
                .isEqualTo(11L);
    }

    @Test
    void closingDoesNotFlush() {
        final SoftTargetAnnotator annotator = started(10);
        process(3);
        annotator.close();
        assertThat(context.forwarded()).isEmpty();
        assertThat(position()).as("left for the task's next owner to read again")
                .isEqualTo(3L);
    }

    /**
     * A broker restarting while a task starts: the reading again times out. Kafka Streams turns
     * a timeout from a punctuation into a corrupted task and revives it (docs/platform.md, "Kafka
     * Streams: exceptions from init, process and punctuate"): init again, the records since the
     * committed offset processed again. Nothing is lost, nothing annotated twice.
     */
    @Test
    void aReadingAgainThatTimesOutIsRetriedWhenTheTaskIsRevived() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        committed(5, 6, 7);
        replayTimeouts = 1;
        final SoftTargetAnnotator annotator = started(3);
        process(8);
        process(9);
        process(10);
        assertThat(context.forwarded()).as("a full batch waits for the records to read again").isEmpty();

        assertThatThrownBy(this::replayPunctuation).isInstanceOf(TimeoutException.class);
        assertThat(context.forwarded()).isEmpty();
        assertThat(position()).as("nothing moved: the next try reads the same").isEqualTo(5L);

        // revived: the store as its changelog has it, the input from the committed offset
        annotator.init(context);
        process(8);
        process(9);
        punctuate();
        process(10);
        punctuate();
        assertThat(forwardedIds()).containsExactly("r5", "r6", "r7", "r8", "r9", "r10");
        assertThat(position()).isEqualTo(11L);
        assertThat(replayCalls).hasSize(2).allMatch(c -> c.endsWith("from 5 up to 8"));
    }

    /**
     * Between a task's start and its first punctuation, Kafka Streams may commit the offsets of
     * records the task has buffered: the reading again must stop where the task's own records
     * begin, not at the committed offset it finds by then.
     */
    @Test
    void readsAgainOnlyUpToTheFirstRecordTheTaskProcessedItself() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        // the previous owner committed 8; this one processed 8 and 9 and committed 10 meanwhile
        committed(5, 6, 7, 8, 9);
        started(2);
        process(8);
        process(9);
        assertThat(context.forwarded()).as("no flush before the reading again").isEmpty();
        assertThat(position()).isEqualTo(5L);

        replayPunctuation();
        assertThat(forwardedIds()).as("each once, oldest first").containsExactly("r5", "r6", "r7", "r8", "r9");
        assertThat(position()).isEqualTo(10L);
        assertThat(replayCalls).containsExactly(context.applicationId() + " " + INPUT + "-0 from 5 up to 8");
    }

    @Test
    void aDeadLetterIsTheFirstRecordTheTaskProcessedToo() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        committed(5, 6, 7);
        started(10);
        deadLettered(6);
        punctuate();
        assertThat(forwardedIds()).containsExactly("r5");
        assertThat(position()).isEqualTo(7L);
    }

    /**
     * {@code features} deleted and re-created: the stored position is an offset of the old topic.
     * Ignored, said and counted; the new topic's records are annotated from the first one the task
     * reads, and the new topic's id is stored with the new position.
     */
    @Test
    void ignoresAndCountsAPositionOfAnInputTopicSinceRecreated() {
        store.put(SoftTargetAnnotator.POSITION, 500L);
        final Uuid old = Uuid.randomUuid();
        StoredPosition.writeTopicId(store, old);
        committed(0, 1);
        started(10);
        assertThat(registry.get(MetricNames.TEACHER_INPUT_RECREATED).counter().count()).isEqualTo(1.0);

        process(0);
        process(1);
        punctuate();
        assertThat(replayCalls).as("nothing of the old topic to read again").isEmpty();
        assertThat(forwardedIds()).containsExactly("r0", "r1");
        assertThat(position()).isEqualTo(2L);
        assertThat(StoredPosition.topicId(store)).isEqualTo(TOPIC_ID);
    }

    /**
     * {@code features} deleted and re-created while the task runs (Kafka Streams does not always
     * stop then): its offsets go back. The teacher's topic id is the old topic's: the new position
     * must not be stored with it, or the next start would ignore a position that is right.
     */
    @Test
    void offsetsGoingBackUnderARunningTaskLeaveThePositionNamingNoTopic() {
        started(10);
        process(5);
        process(6);
        punctuate();
        assertThat(StoredPosition.topicId(store)).isEqualTo(TOPIC_ID);

        process(7);
        process(0);
        assertThat(registry.get(MetricNames.TEACHER_INPUT_RECREATED).counter().count()).isEqualTo(1.0);
        assertThat(forwardedIds()).as("what was consumed of the old topic, annotated")
                .containsExactly("r5", "r6", "r7");
        process(1);
        punctuate();
        assertThat(forwardedIds()).containsExactly("r5", "r6", "r7", "r0", "r1");
        assertThat(position()).isEqualTo(2L);
        assertThat(StoredPosition.topicId(store)).isNull();
        assertThat(StoredPosition.read(store, TOPIC_ID).position()).as("trusted at the next start").isEqualTo(2L);
    }

    @Test
    void storesTheTopicIdWithTheFirstPositionAndTrustsAPositionStoredWithoutOne() {
        started(10);
        process(3);
        assertThat(StoredPosition.topicId(store)).isEqualTo(TOPIC_ID);

        // a position stored before topic ids were: read again from it, and named at its next move
        final MockProcessorContext<String, SoftTargetRecord> upgraded = new MockProcessorContext<>();
        upgraded.setCurrentSystemTimeMs(0);
        store = MockedPositionStore.in(upgraded);
        context = upgraded;
        store.put(SoftTargetAnnotator.POSITION, 5L);
        committed(5);
        started(10);
        punctuate();
        assertThat(forwardedIds()).containsExactly("r5");
        assertThat(StoredPosition.topicId(store)).isEqualTo(TOPIC_ID);
        assertThat(registry.get(MetricNames.TEACHER_INPUT_RECREATED).counter().count()).isZero();
    }

    @Test
    void underABudgetOnlyTheChosenAreAnnotatedTheOtherLabelledPassOnAndHoldoutIsAlwaysAnnotated() {
        budget = new TeacherBudget(TeacherBudget.UNIFORM, 0.3, 0.2, 0.05, 0.97);
        started(1000);
        // rows 0-39: even rows labelled, odd rows not; every fifth a holdout record
        final List<String> chosen = new ArrayList<>();
        final List<String> labelOnly = new ArrayList<>();
        final List<String> holdout = new ArrayList<>();
        for (int row = 0; row < 40; row++) {
            final boolean labelled = row % 2 == 0;
            final boolean isHoldout = row % 5 == 0;
            final String id = "r" + row;
            context.setRecordMetadata(INPUT, 0, row);
            annotatorUnderTest.process(new Record<>(id, new FeatureRecord(id, row, data.features()[row],
                    labelled ? data.labels()[row] : null, isHoldout ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN),
                    1000L + row));
            if (isHoldout) {
                holdout.add(id);
            } else if (UniformDraw.of(id) < 0.3) {
                chosen.add(id);
            } else if (labelled) {
                labelOnly.add(id);
            }
        }
        assertThat(context.forwarded()).as("nothing before a flush").isEmpty();
        punctuate();
        final List<SoftTargetRecord> out = context.forwarded().stream()
                .map(f -> (SoftTargetRecord) f.record().value()).toList();
        assertThat(out).filteredOn(r -> r.selection() == Selection.UNIFORM).extracting(SoftTargetRecord::id)
                .containsExactlyElementsOf(chosen).isNotEmpty();
        assertThat(out).filteredOn(r -> r.selection() == Selection.LABEL_ONLY).extracting(SoftTargetRecord::id)
                .containsExactlyElementsOf(labelOnly).isNotEmpty();
        assertThat(out).filteredOn(r -> r.selection() == Selection.HOLDOUT).extracting(SoftTargetRecord::id)
                .containsExactlyElementsOf(holdout).hasSize(8);
        assertThat(out).as("one record per decision, in offset order").extracting(SoftTargetRecord::id)
                .hasSize(chosen.size() + labelOnly.size() + holdout.size())
                .isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)),
                        Integer.parseInt(b.substring(1))));
        assertThat(out).filteredOn(r -> r.selection() == Selection.LABEL_ONLY)
                .allSatisfy(r -> assertThat(r.softTargets()).isNull());
        assertThat(out).filteredOn(SoftTargetRecord::annotated)
                .allSatisfy(r -> assertThat(r.softTargets()).hasSize(manifest.numClasses()));
        assertThat(position()).as("past the records left out too").isEqualTo(40L);
        assertThat(registry.get(MetricNames.TEACHER_CALLS_SAVED).counter().count())
                .isEqualTo(32 - chosen.size());
    }

    @Test
    void whereLabelsMayComeLaterTheUnchosenUnlabelledRecordsPassOnUnannotatedInsteadOfBeingLeftOut() {
        budget = new TeacherBudget(TeacherBudget.UNIFORM, 0.3, 0.2, 0.05, 0.97);
        lateLabels = true;
        started(1000);
        final List<String> unannotated = new ArrayList<>();
        for (int row = 0; row < 20; row++) {
            final String id = "r" + row;
            context.setRecordMetadata(INPUT, 0, row);
            annotatorUnderTest.process(new Record<>(id, new FeatureRecord(id, row, data.features()[row], null,
                    FeatureRecord.TRAIN), 1000L + row));
            if (UniformDraw.of(id) >= 0.3) {
                unannotated.add(id);
            }
        }
        punctuate();
        final List<SoftTargetRecord> out = context.forwarded().stream()
                .map(f -> (SoftTargetRecord) f.record().value()).toList();
        assertThat(out).as("every record, so that a late label finds it").hasSize(20);
        assertThat(out).filteredOn(r -> r.selection() == Selection.UNANNOTATED).extracting(SoftTargetRecord::id)
                .containsExactlyElementsOf(unannotated).isNotEmpty();
        assertThat(out).filteredOn(r -> r.selection() == Selection.UNANNOTATED)
                .allSatisfy(r -> assertThat(r.softTargets()).isNull())
                .allSatisfy(r -> assertThat(SoftTargetCodec.decode(SoftTargetCodec.encode(r)).selection())
                        .isEqualTo(Selection.UNANNOTATED));
        assertThat(registry.get(MetricNames.TEACHER_CALLS_SAVED).counter().count()).isEqualTo(unannotated.size());
    }

    @Test
    void afterADriftDetectionTheNextRecordsAreAllAnnotatedWhateverTheBudgetThenTheBudgetAgain() {
        budget = new TeacherBudget(TeacherBudget.UNIFORM, 0.01, 0.2, 0.01, 0.97);
        driftBoost = 10;
        started(1000);
        final List<String> expected = new ArrayList<>();
        for (int row = 0; row < 40; row++) {
            if (row == 5) {
                alarm.heard(new DriftEvent("student", DriftEvent.TEACHER_ERROR, "adwin", 1, "x", 0, 0.1, 0.5, 1, "e"));
            }
            final String id = "r" + row;
            context.setRecordMetadata(INPUT, 0, row);
            annotatorUnderTest.process(new Record<>(id, new FeatureRecord(id, row, data.features()[row], null,
                    FeatureRecord.TRAIN), 1000L + row));
            if (row >= 5 && row < 15 || UniformDraw.below(id, 0.01)) {
                expected.add(id);
            }
        }
        punctuate();
        assertThat(context.forwarded()).extracting(f -> ((SoftTargetRecord) f.record().value()).id())
                .containsExactlyElementsOf(expected);
        assertThat(registry.get(MetricNames.TEACHER_BOOSTED).counter().count()).isEqualTo(10);
    }

    @Test
    void aRefreshedEnsembleSwappedInMidBatchAnnotatesTheWholeBatchLosingAndRepeatingNothing() {
        started(1000);
        for (int row = 0; row < 6; row++) {
            pipe(row);
        }
        final TeacherEnsemble refreshed = Refresh.of(ensemble, TinyEnsemble.swapped(600), 3).candidate();
        ensembles.swapIn(refreshed);
        for (int row = 6; row < 10; row++) {
            pipe(row);
        }
        punctuate();
        final List<SoftTargetRecord> out = context.forwarded().stream()
                .map(f -> (SoftTargetRecord) f.record().value()).toList();
        assertThat(out).extracting(SoftTargetRecord::id)
                .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
        assertThat(out).extracting(SoftTargetRecord::ensembleVersion).containsOnly(ensemble.manifest().versionId()
                + "+1");
        final double[][] expected = refreshed.logits(Nd4j.createFromArray(refreshed.manifest().scaler()
                .transform(Arrays.copyOf(data.features(), 10)))).toDoubleMatrix();
        for (int i = 0; i < 10; i++) {
            assertThat(out.get(i).teacherLogits()).as("row %d, by the new ensemble", i)
                    .containsExactly(expected[i], within(1e-4));
        }
        assertThat(position()).isEqualTo(10L);
    }

    private void pipe(final int row) {
        final String id = "r" + row;
        context.setRecordMetadata(INPUT, 0, row);
        annotatorUnderTest.process(new Record<>(id, new FeatureRecord(id, row, data.features()[row],
                data.labels()[row], FeatureRecord.TRAIN), 1000L + row));
    }

    @Test
    void recordsLeftOutAreCountedWhenALingerMovesPastThemWithNothingToWrite() {
        budget = new TeacherBudget(TeacherBudget.UNIFORM, 0.01, 0.2, 0.01, 0.97);
        started(1000);
        int leftOut = 0;
        for (int row = 0; row < 20; row++) {
            final String id = "r" + row;
            context.setRecordMetadata(INPUT, 0, row);
            annotatorUnderTest.process(new Record<>(id, new FeatureRecord(id, row, data.features()[row], null,
                    FeatureRecord.TRAIN), 1000L + row));
            leftOut += UniformDraw.below(id, 0.01) ? 0 : 1;
        }
        punctuate();
        assertThat(context.forwarded()).hasSize(20 - leftOut);
        assertThat(position()).isEqualTo(20L);
        assertThat(registry.get(MetricNames.TEACHER_SELECTED).tag(MetricNames.SELECTION, TeacherMetrics.LEFT_OUT)
                .counter().count()).as("the stack's end test counts them").isEqualTo(leftOut).isPositive();
    }

    @Test
    void aBatchFillsWithRecordsToAnnotateNotWithLabelOnlyOnes() {
        budget = new TeacherBudget(TeacherBudget.UNIFORM, 0.5, 0.2, 0.05, 0.97);
        started(3);
        int chosen = 0;
        int row = 0;
        while (chosen < 2) {
            chosen += UniformDraw.of("r" + row) < 0.5 ? 1 : 0;
            process(row++);
        }
        assertThat(context.forwarded()).as("two to annotate, a batch is three").isEmpty();
        while (chosen < 3) {
            chosen += UniformDraw.of("r" + row) < 0.5 ? 1 : 0;
            process(row++);
        }
        assertThat(context.forwarded()).as("every record read, label-only ones in their place").hasSize(row);
    }

    @Test
    void theUncertaintySamplerBuysWhatTheServedStudentIsUnsureOf() {
        budget = new TeacherBudget(TeacherBudget.UNCERTAINTY, 0.2, 0.0, 0.05, 0.97);
        final ServedStudent served = ServedStudent.of(TestStudents.student(manifest.inputWidth(),
                manifest.numClasses(), List.of(8), 3));
        student.serve(served);
        started(10_000);
        for (int row = 0; row < data.size(); row++) {
            process(row);
        }
        punctuate();
        final List<SoftTargetRecord> out = context.forwarded().stream()
                .map(f -> (SoftTargetRecord) f.record().value()).toList();
        final List<Double> uncertain = out.stream().filter(r -> r.selection() == Selection.UNCERTAIN)
                .map(r -> Uncertainty.margin(served.probabilities(r.features()))).toList();
        final List<Double> passedOn = out.stream().filter(r -> r.selection() == Selection.LABEL_ONLY)
                .map(r -> Uncertainty.margin(served.probabilities(r.features()))).sorted().toList();
        assertThat(uncertain).as("chosen once the threshold has history").isNotEmpty();
        assertThat(out).as("until then, uniform draws at the whole budget")
                .anyMatch(r -> r.selection() == Selection.UNIFORM);
        assertThat(uncertain).allSatisfy(u -> assertThat(u).isGreaterThan(passedOn.get(passedOn.size() / 2)));
    }

    /** An annotator of the test's ensemble, initialised: the position read (the input is read again later). */
    private SoftTargetAnnotator started(final int batchSize) {
        final SoftTargetAnnotator annotator = annotator(batchSize);
        annotator.init(context);
        return annotator;
    }

    private Long position() {
        return store.get(SoftTargetAnnotator.POSITION);
    }

    private SoftTargetAnnotator annotator(final int batchSize) {
        final InputReplay replay = (groupId, partition, from, before) -> {
            replayCalls.add(groupId + " " + partition + " from " + from + " up to "
                    + (before == Long.MAX_VALUE ? "committed" : Long.toString(before)));
            if (replayTimeouts > 0) {
                replayTimeouts--;
                throw new TimeoutException("the broker is restarting");
            }
            return committedInput.stream().filter(r -> r.offset() >= from && r.offset() < before).toList();
        };
        annotatorUnderTest = new SoftTargetAnnotator(INPUT, TOPIC_ID, TeacherTopology.POSITION_STORE, batchSize, LINGER,
                MAX_WAIT, ensembles, parser, replay, new TeacherMetrics(registry),
                live(budget, driftBoost), student, lateLabels, alarm);
        return annotatorUnderTest;
    }

    private static java.util.function.Supplier<LiveBudget> live(final TeacherBudget budget, final long driftBoost) {
        final LiveBudget configured = new LiveBudget(budget, null, driftBoost, false, LiveBudget.CONFIGURED);
        return () -> configured;
    }

    /** Rows at these offsets of partition 0, consumed and committed by a previous owner. */
    private void committed(final int... rows) {
        for (final int row : rows) {
            committedInput.add(new ConsumerRecord<>(INPUT, 0, row, 1000L + row, TimestampType.CREATE_TIME, 0, 0,
                    utf8("r" + row), featureJson("r" + row, (long) row, data.features()[row], data.labels()[row],
                    "train"), new RecordHeaders(), Optional.empty()));
        }
    }

    private void process(final int row) {
        context.setRecordMetadata(INPUT, 0, row);
        annotatorUnderTest.process(new Record<>("r" + row, feature(row), 1000L + row));
    }

    /** What the validator forwards for a record it dead-lettered: only the offset. */
    private void deadLettered(final int offset) {
        context.setRecordMetadata(INPUT, 0, offset);
        annotatorUnderTest.process(new Record<>(null, null, 1000L + offset));
    }

    private FeatureRecord feature(final int row) {
        return new FeatureRecord("r" + row, row, data.features()[row], data.labels()[row], FeatureRecord.TRAIN);
    }

    /**
     * What Kafka Streams runs once a linger interval has passed since the task started: the
     * reading again, if still to do (its interval is shorter), then the linger punctuation.
     */
    private void punctuate() {
        final List<MockProcessorContext.CapturedPunctuator> reads = context.scheduledPunctuators().stream()
                .filter(p -> p.getInterval().equals(SoftTargetAnnotator.REPLAY_DELAY)).toList();
        if (!reads.isEmpty() && !reads.get(reads.size() - 1).cancelled()) {
            replayPunctuation();
        }
        scheduled(LINGER).getPunctuator().punctuate(LINGER.toMillis());
    }

    private void replayPunctuation() {
        final MockProcessorContext.CapturedPunctuator p = scheduled(SoftTargetAnnotator.REPLAY_DELAY);
        assertThat(p.cancelled()).as("the reading again is still to do").isFalse();
        assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        p.getPunctuator().punctuate(SoftTargetAnnotator.REPLAY_DELAY.toMillis());
    }

    /** The punctuator of this interval the last init scheduled: a revived task's earlier ones are gone. */
    private MockProcessorContext.CapturedPunctuator scheduled(final Duration interval) {
        final List<MockProcessorContext.CapturedPunctuator> all = context.scheduledPunctuators().stream()
                .filter(p -> p.getInterval().equals(interval)).toList();
        assertThat(all).as("a punctuation every " + interval).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private List<String> forwardedIds() {
        return context.forwarded().stream().map(f -> (String) f.record().key()).toList();
    }
}
