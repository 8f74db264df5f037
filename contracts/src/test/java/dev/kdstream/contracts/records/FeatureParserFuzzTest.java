package dev.kdstream.contracts.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the feature parser, the first reader of bytes anyone who can write to
 * {@code features} can shape. The invariant: every input is either a record the models can use
 * (features finite in float, a label in range, a known split) or an {@link InvalidRecordException}
 * with a reason; any other exception or error is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ=1} this runs the inputs kept in {@code FeatureParserFuzzTestInputs}
 * (a regression test); with it, Jazzer fuzzes for {@code maxDuration} (docs/benchmarks.md, "Fuzzing").
 */
class FeatureParserFuzzTest {

    private static final int WIDTH = 3;
    private static final int CLASSES = 2;

    private final FeatureParser parser = new FeatureParser(WIDTH, CLASSES, 4096);

    @FuzzTest(maxDuration = "15s")
    void featureRecords(final byte[] value) {
        final FeatureRecord r;
        try {
            r = parser.parse(value, 0L);
        } catch (InvalidRecordException refused) {
            assertThat(refused.reason()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(r.features()).hasSize(WIDTH);
        for (final double x : r.features()) {
            assertThat(Float.isFinite((float) x)).as("a feature the models see as infinite: %s", x).isTrue();
        }
        if (r.label() != null) {
            assertThat(r.label()).isBetween(0, CLASSES - 1);
        }
        assertThat(r.split()).isIn(FeatureRecord.TRAIN, FeatureRecord.HOLDOUT);
        assertThat(r.id()).isNotEmpty();
        assertThat(r.ts()).isNotNegative();
    }
}
