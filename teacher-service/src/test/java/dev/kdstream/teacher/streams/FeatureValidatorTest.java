package dev.kdstream.teacher.streams;

import static dev.kdstream.teacher.TinyEnsemble.featureJson;
import static dev.kdstream.teacher.TinyEnsemble.utf8;
import static org.assertj.core.api.Assertions.assertThat;


import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.teacher.TinyEnsemble;

/**
 * The validator with a restored position: what a task finds when Kafka Streams reads its input
 * from the earliest offset again while the position's changelog kept it.
 */
class FeatureValidatorTest {

    private static final String VALID = "annotate";
    private static final String DEAD_LETTERS = "dlq";
    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    private final EnsembleManifest manifest = TinyEnsemble.ensemble().manifest();
    private final Dataset data = TinyEnsemble.data();
    private MockProcessorContext<Object, Object> context;
    private KeyValueStore<String, Long> store;

    @BeforeEach
    void createStore() {
        context = new MockProcessorContext<>();
        store = MockedPositionStore.in(context);
    }

    @Test
    void skipsRecordsBeforeTheRestoredPositionUnreadSoNoDeadLetterIsWrittenTwice() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        final FeatureValidator validator = validator();
        validator.init(context);

        process(validator, 3, utf8("{}"));
        process(validator, 4, valid(4));
        assertThat(context.forwarded()).as("handled before the position").isEmpty();

        process(validator, 5, utf8("{}"));
        process(validator, 6, valid(6));
        assertThat(context.forwarded()).extracting(f -> f.childName().orElseThrow())
                .as("a dead letter and its offset for the annotator, then a valid record")
                .containsExactly(DEAD_LETTERS, VALID, VALID);
    }

    @Test
    void withoutAPositionEveryRecordIsValidated() {
        final FeatureValidator validator = validator();
        validator.init(context);
        process(validator, 0, valid(0));
        process(validator, 1, utf8("{}"));
        assertThat(context.forwarded()).extracting(f -> f.childName().orElseThrow())
                .containsExactly(VALID, DEAD_LETTERS, VALID);
    }

    @Test
    void skipsBeforeAPositionStoredForTheSameTopic() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        StoredPosition.writeTopicId(store, TOPIC_ID);
        final FeatureValidator validator = validator();
        validator.init(context);
        process(validator, 4, utf8("{}"));
        assertThat(context.forwarded()).isEmpty();
    }

    /** {@code features} deleted and re-created: its offsets start again, the old position means nothing. */
    @Test
    void skipsNothingWhenThePositionWasStoredForAnInputTopicSinceRecreated() {
        store.put(SoftTargetAnnotator.POSITION, 5L);
        StoredPosition.writeTopicId(store, Uuid.randomUuid());
        final FeatureValidator validator = validator();
        validator.init(context);
        process(validator, 0, valid(0));
        process(validator, 1, utf8("{}"));
        assertThat(context.forwarded()).extracting(f -> f.childName().orElseThrow())
                .containsExactly(VALID, DEAD_LETTERS, VALID);
    }

    private FeatureValidator validator() {
        final FeatureParser parser = new FeatureParser(manifest.inputWidth(), manifest.numClasses(), 1024);
        return new FeatureValidator(parser, new TeacherMetrics(new SimpleMeterRegistry()), VALID, DEAD_LETTERS,
                TeacherTopology.POSITION_STORE, TOPIC_ID);
    }

    private byte[] valid(final int row) {
        return featureJson("r" + row, (long) row, data.features()[row], data.labels()[row], "train");
    }

    private void process(final FeatureValidator validator, final long offset, final byte[] value) {
        context.setRecordMetadata("features", 0, offset);
        validator.process(new Record<>(utf8("k" + offset), value, offset));
    }
}
