package dev.kdstream.launcher.cli;

import java.nio.file.Path;

import dev.kdstream.contracts.data.CsvDatasetReader;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;
import dev.kdstream.contracts.data.TrainTestSplit;
import picocli.CommandLine.Option;

/** Where the data comes from: CSV files, or the synthetic generator (the seed's data by default). */
public final class DataOptions {

    private static final SyntheticSpec SEED = SyntheticSpec.seedDefaults();

    @Option(names = "--train", paramLabel = "FILE",
            description = "Training CSV: a header row, numeric feature columns and a 'label' column "
                    + "(class index 0..C-1). Default: synthetic data.")
    Path train;

    @Option(names = "--test", paramLabel = "FILE",
            description = "Test CSV, same columns. Default: a --test-fraction split of the training data.")
    Path test;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share held out for testing when there is no --test file (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--samples", paramLabel = "N", description = "Synthetic: records (default: 5000).")
    int samples = SEED.samples();

    @Option(names = "--features", paramLabel = "N", description = "Synthetic: features (default: 20).")
    int features = SEED.features();

    @Option(names = "--informative", paramLabel = "N", description = "Synthetic: informative features (default: 10).")
    int informative = SEED.informative();

    @Option(names = "--redundant", paramLabel = "N",
            description = "Synthetic: linear combinations of the informative ones (default: 5).")
    int redundant = SEED.redundant();

    @Option(names = "--classes", paramLabel = "C", description = "Synthetic: classes (default: 2).")
    int classes = SEED.classes();

    @Option(names = "--clusters-per-class", paramLabel = "N", description = "Synthetic: clusters per class (default: 2).")
    int clustersPerClass = SEED.clustersPerClass();

    @Option(names = "--class-sep", paramLabel = "X", description = "Synthetic: class separation (default: 1.0).")
    double classSep = SEED.classSep();

    @Option(names = "--flip-y", paramLabel = "F", description = "Synthetic: label noise fraction (default: 0.01).")
    double flipY = SEED.flipY();

    @Option(names = "--data-seed", paramLabel = "S", description = "Seed of the synthetic data and of the split (default: 42).")
    long dataSeed = SEED.seed();

    public TrainTestSplit.Split load() {
        if (test != null && train == null) {
            throw new IllegalArgumentException("--test needs --train as well");
        }
        if (train != null) {
            final Dataset trainSet = CsvDatasetReader.read(train);
            return test != null ? new TrainTestSplit.Split(trainSet, CsvDatasetReader.read(test))
                    : TrainTestSplit.split(trainSet, testFraction, dataSeed);
        }
        final SyntheticSpec spec = new SyntheticSpec(samples, features, informative, redundant, 0, classes,
                clustersPerClass, classSep, flipY, dataSeed);
        return TrainTestSplit.split(SyntheticDataset.generate(spec), testFraction, dataSeed);
    }
}
