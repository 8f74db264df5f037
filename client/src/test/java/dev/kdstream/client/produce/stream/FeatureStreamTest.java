package dev.kdstream.client.produce.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;

class FeatureStreamTest {

    /** Row i has features {i, -i, 0.5} and label i % 3. */
    private static Dataset data(final String source, final int rows) {
        final double[][] x = new double[rows][];
        final int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = new double[] {i, -i, 0.5};
            y[i] = i % 3;
        }
        return new Dataset(source, x, y, 3);
    }

    private static List<FeatureMessage> all(final FeatureStream stream) {
        final List<FeatureMessage> out = new ArrayList<>();
        stream.forEach(out::add);
        return out;
    }

    private static int pass(final FeatureMessage m) {
        return Integer.parseInt(m.id().substring(1, m.id().indexOf('-')));
    }

    private static int row(final FeatureMessage m) {
        return Integer.parseInt(m.id().substring(m.id().indexOf('-') + 1));
    }

    @Test
    void eachPassSendsEveryTrainingRowThenTheWholeHoldoutSet() {
        final FeatureStream stream = FeatureStream.of(data("train", 10), data("test", 3),
                StreamOptions.defaults().withRepeat(4));

        final List<FeatureMessage> records = all(stream);

        assertThat(stream.passSize()).isEqualTo(13);
        assertThat(stream.size()).isEqualTo(52);
        assertThat(records).hasSize(52);
        for (int pass = 0; pass < 4; pass++) {
            final List<FeatureMessage> chunk = records.subList(pass * 13, pass * 13 + 13);
            final int p = pass;
            // training first, then the holdout set in its own order
            assertThat(chunk.subList(0, 10)).allSatisfy(m -> {
                assertThat(m.id()).startsWith("p" + p + "-");
                assertThat(m.split()).isEqualTo(FeatureRecord.TRAIN);
            });
            assertThat(chunk.subList(10, 13)).extracting(FeatureMessage::id)
                    .containsExactly("h" + p + "-0", "h" + p + "-1", "h" + p + "-2");
            assertThat(chunk.subList(10, 13)).allSatisfy(m -> {
                assertThat(m.split()).isEqualTo(FeatureRecord.HOLDOUT);
                assertThat(m.label()).isEqualTo(row(m) % 3);
            });
            assertThat(chunk.subList(0, 10)).extracting(FeatureStreamTest::row)
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void idsAreUniqueAndPointBackAtTheirRow() {
        final Dataset train = data("train", 50);
        final List<FeatureMessage> records = all(FeatureStream.of(train, data("test", 20),
                StreamOptions.defaults().withRepeat(3)));

        final Set<String> ids = records.stream().map(FeatureMessage::id).collect(Collectors.toSet());
        assertThat(ids).hasSize(records.size()).hasSize(3 * 70);
        assertThat(records).filteredOn(m -> m.id().startsWith("p")).allSatisfy(m -> {
            assertThat(m.features()).isSameAs(train.features()[row(m)]);
            assertThat(m.label()).isEqualTo(train.labels()[row(m)]);
        });
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(records.get(0).id());
    }

    @Test
    void shufflesEachPassDifferentlyButTheSameForTheSameSeed() {
        final StreamOptions options = StreamOptions.defaults().withRepeat(3).withSeed(7);
        final List<String> first = all(FeatureStream.of(data("train", 100), options)).stream()
                .map(FeatureMessage::id).toList();
        final List<String> again = all(FeatureStream.of(data("train", 100), options)).stream()
                .map(FeatureMessage::id).toList();
        final List<String> otherSeed = all(FeatureStream.of(data("train", 100), options.withSeed(8))).stream()
                .map(FeatureMessage::id).toList();

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        final List<String> pass0 = first.subList(0, 100).stream().map(id -> id.substring(id.indexOf('-'))).toList();
        final List<String> pass1 = first.subList(100, 200).stream().map(id -> id.substring(id.indexOf('-'))).toList();
        assertThat(pass1).isNotEqualTo(pass0).containsExactlyInAnyOrderElementsOf(pass0);
        // shuffled, not in row order
        assertThat(first.subList(0, 100).stream().map(id -> Integer.parseInt(id.substring(3))).toList())
                .isNotEqualTo(IntStream.range(0, 100).boxed().toList());
        // and each iteration starts over from the first record
        final FeatureStream stream = FeatureStream.of(data("train", 100), options);
        assertThat(stream.iterator().next().id()).isEqualTo(stream.iterator().next().id()).isEqualTo(first.get(0));
    }

    @Test
    void labelsTheGivenShareOfTrainingRowsTheSameRowsInEveryPass() {
        final FeatureStream stream = FeatureStream.of(data("train", 200), data("test", 10),
                StreamOptions.defaults().withRepeat(3).withLabelledFraction(0.3));

        final List<FeatureMessage> records = all(stream);

        assertThat(stream.labelledRows()).isEqualTo(60);
        final Map<Integer, Set<Integer>> labelledRowsPerPass = new TreeMap<>();
        for (final FeatureMessage m : records) {
            if (m.holdout()) {
                assertThat(m.label()).as("holdout records are always labelled").isNotNull();
            } else if (m.label() != null) {
                labelledRowsPerPass.computeIfAbsent(pass(m), p -> new HashSet<>()).add(row(m));
            }
        }
        assertThat(labelledRowsPerPass).hasSize(3);
        assertThat(labelledRowsPerPass.get(0)).hasSize(60)
                .isEqualTo(labelledRowsPerPass.get(1)).isEqualTo(labelledRowsPerPass.get(2));
        // the choice is deterministic for a seed
        assertThat(all(FeatureStream.of(data("train", 200), StreamOptions.defaults().withLabelledFraction(0.3)))
                .stream().filter(m -> m.label() != null).map(FeatureStreamTest::row).collect(Collectors.toSet()))
                .isEqualTo(labelledRowsPerPass.get(0));
    }

    @Test
    void noLabelsAndAllLabelsAreExact() {
        assertThat(all(FeatureStream.of(data("train", 30), StreamOptions.defaults().withLabelledFraction(0))))
                .allSatisfy(m -> assertThat(m.label()).isNull());
        assertThat(all(FeatureStream.of(data("train", 30), StreamOptions.defaults())))
                .allSatisfy(m -> assertThat(m.label()).isNotNull());
    }

    @Test
    void aHoldoutFractionMarksTheSameRowsAsLabelledHoldoutInEveryPass() {
        final FeatureStream stream = FeatureStream.of(data("train", 50),
                StreamOptions.defaults().withRepeat(2).withHoldoutFraction(0.2).withLabelledFraction(0));

        final List<FeatureMessage> records = all(stream);

        assertThat(records).hasSize(100);
        assertThat(stream.holdoutRows()).isEqualTo(10);
        final List<FeatureMessage> holdout = records.stream().filter(FeatureMessage::holdout).toList();
        assertThat(holdout).hasSize(20).allSatisfy(m -> {
            assertThat(m.id()).startsWith("h");
            assertThat(m.label()).isEqualTo(row(m) % 3);
        });
        assertThat(holdout.stream().filter(m -> pass(m) == 0).map(FeatureStreamTest::row).collect(Collectors.toSet()))
                .isEqualTo(holdout.stream().filter(m -> pass(m) == 1).map(FeatureStreamTest::row)
                        .collect(Collectors.toSet()));
        // mixed into the shuffled pass, not all at its end
        assertThat(records.subList(0, 40)).anyMatch(FeatureMessage::holdout);
        assertThat(records).filteredOn(m -> !m.holdout()).allSatisfy(m -> assertThat(m.label()).isNull());
    }

    @Test
    void countCapsTheTotalAndRepeatZeroCyclesUntilTheCap() {
        final FeatureStream capped = FeatureStream.of(data("train", 10), data("test", 3),
                StreamOptions.defaults().withRepeat(5).withCount(7));
        assertThat(capped.size()).isEqualTo(7);
        assertThat(all(capped)).hasSize(7);

        final FeatureStream cycling = FeatureStream.of(data("train", 10), data("test", 3),
                StreamOptions.defaults().withRepeat(0).withCount(30));
        final List<FeatureMessage> records = all(cycling);
        assertThat(cycling.size()).isEqualTo(30);
        assertThat(records).hasSize(30);
        assertThat(records.get(29).id()).startsWith("p2-");

        final FeatureStream endless = FeatureStream.of(data("train", 10), StreamOptions.defaults().withRepeat(0));
        assertThat(endless.size()).isEqualTo(-1);
        final var it = endless.iterator();
        for (int i = 0; i < 1000; i++) {
            assertThat(it.hasNext()).isTrue();
            it.next();
        }
        assertThat(it.next().id()).startsWith("p100-");
    }

    @Test
    void anEmptyHoldoutSetIsSkipped() {
        final Dataset empty = new Dataset("empty", new double[0][], new int[0], 3);
        assertThat(all(FeatureStream.of(data("train", 4), empty, StreamOptions.defaults().withRepeat(2)))).hasSize(8);
    }

    @Test
    void valuesParseBackThroughTheFeatureParser() {
        final FeatureStream stream = FeatureStream.of(data("train", 20), data("test", 5),
                StreamOptions.defaults().withLabelledFraction(0.5));
        final FeatureParser parser = new FeatureParser(3, 3, 262_144);

        for (final FeatureMessage m : stream) {
            final byte[] value = m.value(1_700_000_000_123L);
            final FeatureRecord r = parser.parse(value, 0L);
            assertThat(r.id()).isEqualTo(m.id());
            assertThat(r.ts()).isEqualTo(1_700_000_000_123L);
            assertThat(r.features()).containsExactly(m.features());
            assertThat(r.label()).isEqualTo(m.label());
            assertThat(r.split()).isEqualTo(m.split());
            if (m.label() == null) {
                // explicit null: "unlabelled", not "someone forgot the field"
                assertThat(new String(value, StandardCharsets.UTF_8)).contains("\"label\":null");
            }
        }
    }

    @Test
    void theJsonHasExactlyTheDocumentedFields() {
        final String json = new String(new FeatureMessage("p0-3", new double[] {1.5, -2.0}, 1, FeatureRecord.TRAIN)
                .value(42L), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"id\":\"p0-3\",\"ts\":42,\"features\":[1.5,-2.0],\"label\":1,\"split\":\"train\"}");
    }

    @Test
    void preprintedFeaturesGiveJacksonsBytes() {
        final double[] features = {1.5, -2.0, 1e-300, 123456789.125, 0.1};
        final byte[] printed = FeatureMessage.featuresJson(features);
        for (final FeatureMessage m : List.of(
                new FeatureMessage("p0-3", features, 1, FeatureRecord.TRAIN),
                new FeatureMessage("q\"uo\\te-é-\n", features, null, FeatureRecord.HOLDOUT))) {
            final FeatureMessage cached = new FeatureMessage(m.id(), m.features(), m.label(), m.split(), printed);
            assertThat(new String(cached.value(42L), StandardCharsets.UTF_8))
                    .isEqualTo(new String(m.value(42L), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyPassOfARowCarriesItsFeaturesPrintedOnce() {
        final List<FeatureMessage> messages = new ArrayList<>();
        FeatureStream.of(data("train", 4), null, StreamOptions.defaults().withRepeat(2)).forEach(messages::add);
        assertThat(messages).hasSize(8).allSatisfy(m -> assertThat(m.featuresJson())
                .isEqualTo(FeatureMessage.featuresJson(m.features())));
        // the same row in both passes shares one printed array
        assertThat(messages.stream().map(FeatureMessage::featuresJson).distinct().count()).isEqualTo(4);
    }

    @Test
    void refusesInconsistentInput() {
        assertThatThrownBy(() -> FeatureStream.of(data("train", 10), data("test", 3),
                StreamOptions.defaults().withHoldoutFraction(0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one or the other");
        final Dataset wide = new Dataset("wide", new double[][] {{1, 2, 3, 4}}, new int[] {0}, 3);
        assertThatThrownBy(() -> FeatureStream.of(data("train", 10), wide, StreamOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 features");
        assertThatThrownBy(() -> FeatureStream.of(new Dataset("none", new double[0][], new int[0], 2),
                StreamOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no training records");
        assertThatThrownBy(() -> StreamOptions.defaults().withLabelledFraction(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamOptions.defaults().withRepeat(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStackDefaultIsFiftyPassesOfTheSeedTrainSplitEachFollowedByTheTestSplit() {
        final FeatureStream stream = SeedData.stackStream();
        assertThat(stream.passSize()).isEqualTo(5000);
        assertThat(stream.holdoutRows()).isEqualTo(1000);
        assertThat(stream.size()).isEqualTo(250_000);
        assertThat(stream.describe()).contains("4000 training records", "1000 holdout", "50 passes", "250000 records");
    }
}
