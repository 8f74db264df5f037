package dev.kdstream.teacher;

import java.nio.file.Path;

import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.CsvDatasetReader;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.eval.Accuracy;
import dev.kdstream.model.file.EnsembleFile;
import dev.kdstream.teacher.training.EnsembleTrainer;

/**
 * Trains an ensemble the way {@code teacher train} and {@code teacher serve --train-if-missing}
 * do: on the training part of an 80/20 split, scored on the held-out part, saved to a file.
 */
public final class TeacherTraining {

    /** What was trained, how well it does on data it never saw, and where it is. */
    public record Result(TeacherEnsemble ensemble, double heldOutAccuracy, int heldOutRecords, Path file) {
    }

    private TeacherTraining() {
    }

    /** A CSV file with a header row and a {@code label} column, split 80/20. */
    public static TrainTestSplit.Split csvData(final Path file) {
        return TrainTestSplit.seedSplit(CsvDatasetReader.read(file));
    }

    /** The default hyper-parameters with another ensemble size and epoch count. */
    public static Hyperparameters hyperparameters(final int teachers, final int epochs) {
        if (teachers < 1) {
            throw new IllegalArgumentException("--teachers must be >= 1, got " + teachers);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--teacher-epochs must be >= 1, got " + epochs);
        }
        final Hyperparameters defaults = Hyperparameters.defaults();
        final Hyperparameters.Teacher t = defaults.teacher();
        return defaults.withTeacher(new Hyperparameters.Teacher(teachers, t.hidden(), t.dropout(), t.learningRate(),
                epochs, t.batchSize(), Math.min(t.groups(), teachers)));
    }

    public static Result trainAndSave(final TrainTestSplit.Split data, final Hyperparameters hp, final long seed,
                                      final Path out, final EnsembleTrainer.Progress progress) {
        final TeacherEnsemble ensemble = EnsembleTrainer.train(data.train(), hp, seed, progress);
        final Dataset test = data.test();
        final double accuracy = Accuracy.of(
                ensemble.logits(Nd4j.createFromArray(ensemble.manifest().scaler().transform(test.features()))),
                test.labels());
        EnsembleFile.save(ensemble, out);
        return new Result(ensemble, accuracy, test.size(), out);
    }
}
