package dev.kdstream.contracts.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The fast path and the tree path of {@link FeatureParser} on the same generated records: whatever
 * the fast path accepts, the tree path accepts as the same record; whatever the parser accepts is
 * finite in float with a label in range; everything else is refused with a reason, never another
 * exception. The generator mixes valid records with the values parsers get wrong: numbers at and
 * past float's and long's range, repeated keys, wrong types, nulls.
 */
class FeatureParserDifferentialTest {

    private static final int WIDTH = 3;
    private static final int CLASSES = 2;
    private static final int RECORDS = 50_000;
    private static final String[] NUMBERS = {"0", "-0", "1", "2", "-1", "0.5", "1e39", "-1e39", "3.4e38",
        "3.5e38", "1e-50", "1e400", "NaN", "Infinity", "-Infinity", "9223372036854775807", "9223372036854775808",
        "18446744073709551617", "-9223372036854775809", "1.0", "2.0", "1E2", "007"};
    private static final String[] OTHERS = {"null", "true", "\"1\"", "\"\"", "[]", "{}", "\"train\"",
        "\"holdout\"", "\"test\"", "[1,2,3]", "[1,2]", "[1,2,3,4]", "{\"x\":[1]}"};

    private final FeatureParser parser = new FeatureParser(WIDTH, CLASSES, 4096);

    @Test
    void bothPathsAgreeAndWhatIsAcceptedIsUsable() {
        final SplittableRandom rng = new SplittableRandom(20261206);
        int fastAccepted = 0;
        int accepted = 0;
        for (int i = 0; i < RECORDS; i++) {
            final String json = record(rng);
            final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            final FeatureRecord f = parser.parseValid(bytes, 7L);
            FeatureRecord tree = null;
            try {
                tree = parser.parseTree(bytes, 7L);
            } catch (InvalidRecordException refused) {
                assertThat(f).as("the fast path accepted what the tree refuses (%s): %s", refused.getMessage(),
                        json).isNull();
                continue;
            }
            accepted++;
            assertUsable(tree, json);
            if (f != null) {
                fastAccepted++;
                assertThat(f.id()).as(json).isEqualTo(tree.id());
                assertThat(f.ts()).as(json).isEqualTo(tree.ts());
                assertThat(f.features()).as(json).containsExactly(tree.features());
                assertThat(f.label()).as(json).isEqualTo(tree.label());
                assertThat(f.split()).as(json).isEqualTo(tree.split());
            }
        }
        // the generator must reach both paths, or the comparison proves nothing
        assertThat(fastAccepted).isGreaterThan(RECORDS / 20);
        assertThat(accepted - fastAccepted).as("accepted by the tree only").isGreaterThan(RECORDS / 100);
    }

    private static void assertUsable(final FeatureRecord r, final String json) {
        assertThat(r.features()).as(json).hasSize(WIDTH);
        for (final double x : r.features()) {
            assertThat(Float.isFinite((float) x)).as("finite in float: %s", json).isTrue();
        }
        if (r.label() != null) {
            assertThat(r.label()).as(json).isBetween(0, CLASSES - 1);
        }
        assertThat(r.split()).as(json).isIn(FeatureRecord.TRAIN, FeatureRecord.HOLDOUT);
        assertThat(r.ts()).as(json).isNotNegative();
    }

    private static String record(final SplittableRandom rng) {
        final List<String> fields = new ArrayList<>();
        fields.add("\"id\":" + (rng.nextInt(10) == 0 ? value(rng) : "\"r" + rng.nextInt(1000) + "\""));
        fields.add("\"features\":" + (rng.nextInt(10) == 0 ? value(rng) : features(rng)));
        if (rng.nextBoolean()) {
            fields.add("\"label\":" + (rng.nextInt(3) == 0 ? value(rng) : Integer.toString(rng.nextInt(CLASSES))));
        }
        if (rng.nextBoolean()) {
            fields.add("\"split\":" + (rng.nextInt(3) == 0 ? value(rng) : "\"holdout\""));
        }
        if (rng.nextInt(4) == 0) {
            fields.add("\"ts\":" + (rng.nextInt(3) == 0 ? value(rng) : Long.toString(rng.nextLong(1L << 42))));
        }
        if (rng.nextInt(6) == 0) {
            // a repeated key: the last one wins on both paths
            fields.add(fields.get(rng.nextInt(fields.size())).replaceFirst(":.*", ":") + value(rng));
        }
        if (rng.nextInt(6) == 0) {
            fields.add("\"extra\":" + value(rng));
        }
        java.util.Collections.shuffle(fields, new java.util.Random(rng.nextLong()));
        return "{" + String.join(rng.nextInt(5) == 0 ? " , " : ",", fields) + "}";
    }

    private static String features(final SplittableRandom rng) {
        final int n = rng.nextInt(8) == 0 ? rng.nextInt(5) : WIDTH;
        final List<String> xs = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            xs.add(rng.nextInt(4) == 0 ? NUMBERS[rng.nextInt(NUMBERS.length)]
                    : Double.toString(rng.nextGaussian() * Math.pow(10, rng.nextInt(-3, 4))));
        }
        return "[" + String.join(",", xs) + "]";
    }

    private static String value(final SplittableRandom rng) {
        return rng.nextBoolean() ? NUMBERS[rng.nextInt(NUMBERS.length)] : OTHERS[rng.nextInt(OTHERS.length)];
    }
}
