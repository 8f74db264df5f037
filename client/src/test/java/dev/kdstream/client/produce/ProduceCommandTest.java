package dev.kdstream.client.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

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
    void helpShowsTheExamples() {
        final String usage = new CommandLine(new ProduceCommand()).getUsageMessage();
        assertThat(usage).contains("--rate", "--labelled-fraction", "--[no-]create-topics", "./kd produce --rate 2000");
    }
}
