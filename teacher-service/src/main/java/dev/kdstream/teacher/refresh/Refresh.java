package dev.kdstream.teacher.refresh;

import java.util.Arrays;

import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.teacher.training.EnsembleTrainer;

/**
 * One refresh of the ensemble: a candidate trained as the current one was (its hyper-parameters,
 * one group so that it trains on one thread) on the older {@link #TRAIN_SHARE} of a recent window of
 * labelled records, both scored on the newer rest. The candidate is worth swapping in when it is
 * more accurate there ({@link #better()}).
 *
 * @param candidate          versioned {@link EnsembleVersions#next} of the current one
 * @param currentAccuracy    the current ensemble on the validation slice
 * @param candidateAccuracy  the candidate on it
 */
public record Refresh(TeacherEnsemble candidate, double currentAccuracy, double candidateAccuracy,
                      int trainRecords, int validationRecords, long millis) {

    /** The older part of the window the candidate trains on; the newest rest validates. */
    public static final double TRAIN_SHARE = 0.8;
    /** Below this many records in the window, no refresh: too few to train or judge on. */
    public static final int MIN_RECORDS = 500;

    public boolean better() {
        return candidateAccuracy > currentAccuracy;
    }

    /** @throws IllegalArgumentException for a window under {@link #MIN_RECORDS} */
    public static Refresh of(final TeacherEnsemble current, final Dataset window, final long seed) {
        if (window.size() < MIN_RECORDS) {
            throw new IllegalArgumentException("a refresh needs at least " + MIN_RECORDS + " labelled records, got "
                    + window.size());
        }
        final long start = System.nanoTime();
        final int split = (int) Math.round(window.size() * TRAIN_SHARE);
        final int[] all = new int[window.size()];
        Arrays.setAll(all, i -> i);
        final Dataset train = window.rows(Arrays.copyOfRange(all, 0, split));
        final Dataset validation = window.rows(Arrays.copyOfRange(all, split, all.length));
        final EnsembleManifest m = current.manifest();
        final Hyperparameters.Teacher t = m.hyperparameters().teacher();
        final Hyperparameters hp = m.hyperparameters().withTeacher(new Hyperparameters.Teacher(t.count(), t.hidden(),
                t.dropout(), t.learningRate(), t.epochs(), t.batchSize(), 1));
        final TeacherEnsemble trained = EnsembleTrainer.train(train, hp, seed, EnsembleTrainer.Progress.NONE);
        final EnsembleManifest c = trained.manifest();
        final TeacherEnsemble candidate = new TeacherEnsemble(new EnsembleManifest(c.kind(), c.formatVersion(),
                EnsembleVersions.next(m.versionId()), c.createdAt(), c.inputWidth(), c.numClasses(), c.teacherCount(),
                c.groupSizes(), c.temperature(), c.teacherParams(), c.scaler(), c.hyperparameters(),
                "refresh of " + m.versionId() + " on " + window.size() + " recent labelled records"),
                trained.groups());
        return new Refresh(candidate, accuracy(current, validation), accuracy(candidate, validation), train.size(),
                validation.size(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The ensemble's accuracy on {@code data}. Its networks run under the ensemble's lock, which an
     * annotator copying its weights into a forward pass takes too: a DL4J network is not to be read on
     * two threads at once (docs/platform.md).
     */
    static double accuracy(final TeacherEnsemble ensemble, final Dataset data) {
        final double[][] z = logits(ensemble, data.features());
        int right = 0;
        for (int i = 0; i < z.length; i++) {
            right += Probabilities.argmax(z[i]) == data.labels()[i] ? 1 : 0;
        }
        return (double) right / z.length;
    }

    /** The ensemble's logits for raw {@code features}, one row each, under its lock ({@link #accuracy}). */
    static double[][] logits(final TeacherEnsemble ensemble, final double[][] features) {
        synchronized (ensemble) {
            return ensemble.logits(Nd4j.createFromArray(ensemble.manifest().scaler().transform(features)))
                    .toDoubleMatrix();
        }
    }
}
