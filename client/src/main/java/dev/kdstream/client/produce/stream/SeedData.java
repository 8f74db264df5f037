package dev.kdstream.client.produce.stream;

import dev.kdstream.contracts.data.TrainTestSplit;

/** The seed experiment's data, the producer's default: synthetic 5,000 x 20, split 80/20 with seed 42. */
public final class SeedData {

    private SeedData() {
    }

    /**
     * The {@code ./kd stack} default: the train split replayed {@value StreamOptions#STACK_REPEAT}
     * times, each pass followed by the test split as holdout.
     */
    public static FeatureStream stackStream() {
        final TrainTestSplit.Split split = TrainTestSplit.seedDefault();
        return FeatureStream.of(split.train(), split.test(),
                StreamOptions.defaults().withRepeat(StreamOptions.STACK_REPEAT));
    }
}
