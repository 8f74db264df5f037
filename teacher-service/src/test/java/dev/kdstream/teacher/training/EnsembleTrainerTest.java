package dev.kdstream.teacher.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.eval.Accuracy;

class EnsembleTrainerTest {

    @Test
    void teachersAreSpreadEvenlyOverGroups() {
        assertThat(EnsembleTrainer.groupSizes(12, 2)).containsExactly(6, 6);
        assertThat(EnsembleTrainer.groupSizes(5, 2)).containsExactly(3, 2);
        assertThat(EnsembleTrainer.groupSizes(3, 3)).containsExactly(1, 1, 1);
    }

    @Test
    void trainsAnEnsembleThatLearnsAndReportsProgress() {
        final Dataset data = SyntheticDataset.generate(new SyntheticSpec(400, 8, 5, 1, 0, 4, 1, 2.0, 0.0, 3));
        final Hyperparameters hp = Hyperparameters.defaults()
                .withTeacher(new Hyperparameters.Teacher(3, List.of(32, 16), 0.3, 1e-2, 10, 32, 2));
        final List<Integer> progress = new ArrayList<>();
        final TeacherEnsemble ensemble = EnsembleTrainer.train(data, hp, 1,
                (done, total) -> {
                    synchronized (progress) {
                        progress.add(done);
                    }
                    assertThat(total).isEqualTo(20);
                });
        assertThat(progress).hasSize(20).contains(20);
        assertThat(ensemble.manifest().teacherCount()).isEqualTo(3);
        assertThat(ensemble.manifest().groupSizes()).containsExactly(2, 1);
        assertThat(ensemble.manifest().inputWidth()).isEqualTo(8);
        assertThat(ensemble.manifest().numClasses()).isEqualTo(4);
        assertThat(ensemble.manifest().versionId()).startsWith("ensemble-");
        final var x = Nd4j.createFromArray(ensemble.manifest().scaler().transform(data.features()));
        // four well-separated classes: far above the 25% of chance after ten epochs
        assertThat(Accuracy.of(ensemble.logits(x), data.labels())).isGreaterThan(0.85);
    }

    @Test
    void theSameSeedTrainsTheSameEnsembleDropoutIncluded() {
        final Dataset data = SyntheticDataset.generate(new SyntheticSpec(200, 8, 5, 1, 0, 3, 1, 2.0, 0.0, 4));
        final Hyperparameters hp = Hyperparameters.defaults()
                .withTeacher(new Hyperparameters.Teacher(4, List.of(16, 8), 0.3, 1e-2, 3, 32, 2));
        final TeacherEnsemble first = EnsembleTrainer.train(data, hp, 9, EnsembleTrainer.Progress.NONE);
        final TeacherEnsemble again = EnsembleTrainer.train(data, hp, 9, EnsembleTrainer.Progress.NONE);
        final TeacherEnsemble other = EnsembleTrainer.train(data, hp, 10, EnsembleTrainer.Progress.NONE);
        for (int g = 0; g < 2; g++) {
            assertThat(again.groups().get(g).params()).isEqualTo(first.groups().get(g).params());
            assertThat(other.groups().get(g).params()).isNotEqualTo(first.groups().get(g).params());
        }
    }
}
