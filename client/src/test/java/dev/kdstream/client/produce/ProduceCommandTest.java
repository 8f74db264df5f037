package dev.kdstream.client.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.client.produce.stream.FeatureStream;
import picocli.CommandLine;

/** How the options become a stream; sending is covered by {@code ProducerServiceIT}. */
class ProduceCommandTest {

    private static FeatureStream stream(final String... args) {
        final ProduceCommand command = new ProduceCommand();
        new CommandLine(command).parseArgs(args);
        return command.stream();
    }

    @Test
    void theDefaultIsOnePassOfTheSeedTrainSplitThenItsTestSplit() {
        final FeatureStream stream = stream();
        assertThat(stream.size()).isEqualTo(5000);
        assertThat(stream.holdoutRows()).isEqualTo(1000);
        assertThat(stream.labelledRows()).isEqualTo(4000);
    }

    @Test
    void countAloneCyclesThePassesUntilItIsReached() {
        assertThat(stream("--count", "12000").size()).isEqualTo(12000);
        assertThat(stream("--count", "12000", "--repeat", "1").size()).isEqualTo(5000);
        assertThat(stream("--repeat", "0").size()).as("endless").isEqualTo(-1);
    }

    @Test
    void fractionsAndSeedReachTheStream() {
        final FeatureStream stream = stream("--labelled-fraction", "0.1", "--holdout-fraction", "0.25", "--seed", "7");
        assertThat(stream.size()).as("the train split only").isEqualTo(4000);
        assertThat(stream.holdoutRows()).isEqualTo(1000);
        assertThat(stream.labelledRows()).isEqualTo(300);
        assertThat(stream.options().seed()).isEqualTo(7);
    }

    @Test
    void readsCsvFiles(@TempDir final Path dir) throws Exception {
        final Path train = Files.writeString(dir.resolve("train.csv"), "a,b,label\n1,2,0\n3,4,1\n5,6,2\n");
        final Path holdout = Files.writeString(dir.resolve("test.csv"), "a,b,label\n7,8,1\n");

        final FeatureStream stream = stream("--train", train.toString(), "--holdout", holdout.toString(),
                "--repeat", "2");

        assertThat(stream.size()).isEqualTo(8);
        final FeatureMessage last = stream.iterator().next();
        assertThat(last.features()).hasSize(2);
    }

    @Test
    void refusesContradictions(@TempDir final Path dir) throws Exception {
        final Path train = Files.writeString(dir.resolve("train.csv"), "a,label\n1,0\n2,1\n");
        assertThatThrownBy(() -> stream("--holdout", train.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--holdout needs --train");
        assertThatThrownBy(() -> stream("--train", train.toString(), "--holdout", train.toString(),
                "--holdout-fraction", "0.2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> stream("--rate", "-5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> stream("--labelled-fraction", "2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labelled fraction");
    }

    @Test
    void aDriftChangesTheRecordsFromItsFractionOfTheStreamOn() {
        final List<FeatureMessage> plain = new ArrayList<>();
        stream().forEach(plain::add);
        final List<FeatureMessage> drifted = new ArrayList<>();
        stream("--drift-at", "0.5").forEach(drifted::add);
        assertThat(drifted).hasSize(5000);
        for (int i = 0; i < 5000; i++) {
            final FeatureMessage a = plain.get(i);
            final FeatureMessage b = drifted.get(i);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.features()).containsExactly(a.features());
            // swap, the default: every label moves on by one class from record 2,500
            assertThat(b.label()).as("record %d", i).isEqualTo(i < 2500 ? a.label() : (a.label() + 1) % 2);
        }
        assertThat(stream("--drift-at", "0.5", "--drift", "shift").describe()).endsWith("drift: shift from record 2500");
    }

    @Test
    void refusesADriftItCannotPlace() {
        assertThatThrownBy(() -> stream("--drift", "rotate")).hasMessageContaining("--drift needs --drift-at");
        assertThatThrownBy(() -> stream("--drift-at", "1.5")).hasMessageContaining("fraction of the stream in [0, 1)");
        assertThatThrownBy(() -> stream("--drift-at", "0.5", "--repeat", "0"))
                .hasMessageContaining("needs a finite stream");
        assertThatThrownBy(() -> stream("--drift-at", "0.5", "--drift", "melt"))
                .hasMessageContaining("a drift is swap, shift or rotate, got 'melt'");
    }

    @Test
    void helpShowsTheExamples() {
        final String usage = new CommandLine(new ProduceCommand()).getUsageMessage();
        assertThat(usage).contains("--rate", "--labelled-fraction", "--[no-]create-topics", "./kd produce --rate 2000");
    }
}
