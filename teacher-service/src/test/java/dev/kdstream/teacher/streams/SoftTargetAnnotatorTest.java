package dev.kdstream.teacher.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.common.data.Dataset;
import dev.kdstream.common.kafka.JsonSerde;
import dev.kdstream.common.metrics.MetricNames;
import dev.kdstream.common.model.EnsembleManifest;
import dev.kdstream.common.model.TeacherEnsemble;
import dev.kdstream.common.records.FeatureRecord;
import dev.kdstream.common.records.ParsedFeature;
import dev.kdstream.teacher.TinyEnsemble;

/**
 * The annotator on its own, with a store that already holds records when the processor starts:
 * what Kafka Streams hands a task's next owner after restoring the buffer from its changelog
 * (TopologyTestDriver cannot restore a store, so the restore is simulated here; TeacherServiceIT
 * does it for real).
 */
class SoftTargetAnnotatorTest {

    private static final Duration LINGER = Duration.ofMillis(100);

    private final TeacherEnsemble ensemble = TinyEnsemble.ensemble();
    private final EnsembleManifest manifest = ensemble.manifest();
    private final Dataset data = TinyEnsemble.data();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MockProcessorContext<String, OutgoingSoftTarget> context;
    private KeyValueStore<Long, BufferedFeature> store;

    @BeforeEach
    void createStore() {
        context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TeacherApp.BUFFER_STORE), Serdes.Long(),
                        JsonSerde.serdeFor(BufferedFeature.class))
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    @Test
    void annotatesRecordsRestoredIntoTheStoreOnTheFirstPunctuation() {
        restored(5, 6, 7);
        final SoftTargetAnnotator annotator = annotator(10, EnsembleCopies.of(ensemble));
        annotator.init(context);
        assertThat(context.forwarded()).as("never forwards from init").isEmpty();

        punctuate();
        assertThat(forwardedIds()).containsExactly("r5", "r6", "r7");
        assertThat(context.forwarded()).extracting(f -> f.record().timestamp())
                .as("the stored input timestamps").containsExactly(1005L, 1006L, 1007L);
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void countsRestoredRecordsTowardsTheNextBatch() {
        restored(5, 6, 7);
        final SoftTargetAnnotator annotator = annotator(4, EnsembleCopies.of(ensemble));
        annotator.init(context);

        context.setRecordMetadata("features", 0, 8);
        annotator.process(new Record<>("r8", new ParsedFeature(feature(8), null), 1008L));
        assertThat(forwardedIds()).as("3 restored + 1 new = a full batch, oldest first")
                .containsExactly("r5", "r6", "r7", "r8");
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().count()).isEqualTo(1);
    }

    @Test
    void drainsMoreThanABatchInBatchSizedInferences() {
        // e.g. the batch size was lowered between two runs
        restored(1, 2, 3, 4, 5);
        final SoftTargetAnnotator annotator = annotator(2, EnsembleCopies.of(ensemble));
        annotator.init(context);

        punctuate();
        assertThat(forwardedIds()).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().count()).isEqualTo(3);
        assertThat(registry.get(MetricNames.TEACHER_BATCH_SIZE).summary().max()).isEqualTo(2);
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void closingDoesNotFlush() {
        final SoftTargetAnnotator annotator = annotator(10, EnsembleCopies.of(ensemble));
        annotator.init(context);
        context.setRecordMetadata("features", 0, 3);
        annotator.process(new Record<>("r3", new ParsedFeature(feature(3), null), 1003L));
        annotator.close();
        assertThat(context.forwarded()).isEmpty();
        assertThat(store.get(3L).feature().id()).as("left for the task's next owner").isEqualTo("r3");
    }

    @Test
    void passesOnTheFeaturesTextOfRecordsItReadAndPrintsTheRestoredOnes() {
        restored(5);
        final SoftTargetAnnotator annotator = annotator(3, EnsembleCopies.of(ensemble));
        annotator.init(context);
        context.setRecordMetadata("features", 0, 6);
        annotator.process(new Record<>("r6", new ParsedFeature(feature(6), "[6.0]"), 1006L));
        context.setRecordMetadata("features", 0, 7);
        annotator.process(new Record<>("r7", new ParsedFeature(feature(7), null), 1007L));

        assertThat(context.forwarded()).extracting(f -> ((OutgoingSoftTarget) f.record().value()).featuresJson())
                .as("restored: no text; read with text; read without (the parser's slow path)")
                .containsExactly(null, "[6.0]", null);
        assertThat(context.forwarded()).extracting(f -> ((OutgoingSoftTarget) f.record().value()).record().features())
                .containsExactly(data.features()[5], data.features()[6], data.features()[7]);
    }

    @Test
    void refusesAnEnsembleOtherThanTheTopologysOwn() {
        final TeacherEnsemble other = new TeacherEnsemble(new EnsembleManifest(manifest.kind(),
                manifest.formatVersion(), "another-version", manifest.createdAt(), manifest.inputWidth(),
                manifest.numClasses(), manifest.teacherCount(), manifest.groupSizes(), manifest.temperature(),
                manifest.teacherParams(), manifest.scaler(), manifest.hyperparameters(), manifest.trainedOn()),
                ensemble.groups());
        final SoftTargetAnnotator annotator = annotator(10, () -> other);
        assertThatThrownBy(() -> annotator.init(context))
                .hasMessageContaining("another-version")
                .hasMessageContaining(manifest.versionId());
    }

    private SoftTargetAnnotator annotator(final int batchSize, final Supplier<TeacherEnsemble> ensembles) {
        return new SoftTargetAnnotator(TeacherApp.BUFFER_STORE, batchSize, LINGER, manifest, ensembles,
                new TeacherMetrics(registry));
    }

    private void restored(final long... offsets) {
        for (final long offset : offsets) {
            store.put(offset, new BufferedFeature(feature((int) offset), 1000L + offset));
        }
    }

    private FeatureRecord feature(final int row) {
        return new FeatureRecord("r" + row, row, data.features()[row], data.labels()[row], FeatureRecord.TRAIN);
    }

    private void punctuate() {
        final MockProcessorContext.CapturedPunctuator p = context.scheduledPunctuators().get(0);
        assertThat(p.getInterval()).isEqualTo(LINGER);
        p.getPunctuator().punctuate(LINGER.toMillis());
    }

    private List<String> forwardedIds() {
        return context.forwarded().stream().map(f -> (String) f.record().key()).toList();
    }
}
