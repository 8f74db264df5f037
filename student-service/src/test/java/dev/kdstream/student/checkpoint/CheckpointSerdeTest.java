package dev.kdstream.student.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.StudentFile;
import dev.kdstream.model.file.StudentManifest;
import dev.kdstream.model.kernel.Standardizer;

class CheckpointSerdeTest {

    @Test
    void aCheckpointSurvivesTheTopicsJsonSerdeWithIdenticalModels() {
        final Standardizer scaler = new Standardizer(new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1});
        final StudentModel distilled = StudentModel.create(StudentManifest.DISTILLED, 4, 2, Hyperparameters.defaults(),
                scaler, "ens-1", 3);
        final StudentModel baseline = StudentModel.create(StudentManifest.BASELINE, 4, 2, Hyperparameters.defaults(),
                scaler, "ens-1", 3);
        final Random random = new Random(7);
        final float[][] x = new float[16][4];
        final float[][] soft = new float[16][];
        final int[] labels = new int[16];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            labels[i] = x[i][0] > 0 ? 1 : 0;
            soft[i] = new float[] {labels[i] == 0 ? 0.8f : 0.2f, labels[i] == 0 ? 0.2f : 0.8f};
        }
        final INDArray features = Nd4j.createFromArray(x);
        for (int step = 0; step < 3; step++) {
            distilled.network().fit(features, LabelMatrix.of(soft, labels, 2));
            baseline.network().fit(features, LabelMatrix.hard(labels, 2));
        }
        distilled.setVersion(5);
        baseline.setVersion(5);
        final StudentCheckpoint checkpoint = new StudentCheckpoint("student", 5, 1234, Map.of(0, 600L, 1, 634L),
                "ens-1", 1_700_000_000_000L, StudentFile.toBytes(distilled), StudentFile.toBytes(baseline));

        final Serde<StudentCheckpoint> serde = Topics.defaults().checkpoints().valueSerde();
        final byte[] json = serde.serializer().serialize("student-checkpoints", checkpoint);
        final StudentCheckpoint back = serde.deserializer().deserialize("student-checkpoints", json);

        assertThat(back.trainerId()).isEqualTo("student");
        assertThat(back.version()).isEqualTo(5);
        assertThat(back.recordsTrained()).isEqualTo(1234);
        assertThat(back.offsets()).isEqualTo(Map.of(0, 600L, 1, 634L));
        assertThat(back.ensembleVersion()).isEqualTo("ens-1");
        assertThat(back.createdAt()).isEqualTo(1_700_000_000_000L);
        assertThat(back.distilled()).isEqualTo(checkpoint.distilled());
        assertThat(back.baseline()).isEqualTo(checkpoint.baseline());

        final StudentModel d = StudentFile.fromBytes("test", back.distilled());
        final StudentModel b = StudentFile.fromBytes("test", back.baseline());
        assertThat(d.manifest()).isEqualTo(distilled.manifest());
        assertThat(b.manifest().role()).isEqualTo(StudentManifest.BASELINE);
        assertThat(d.network().params().toFloatVector()).containsExactly(distilled.network().params().toFloatVector());
        assertThat(b.network().params().toFloatVector()).containsExactly(baseline.network().params().toFloatVector());
        assertThat(d.logits(features).toFloatMatrix()).isDeepEqualTo(distilled.logits(features).toFloatMatrix());

        // the optimiser state came along too: one more identical step keeps them identical
        distilled.network().fit(features, LabelMatrix.of(soft, labels, 2));
        d.network().fit(features, LabelMatrix.of(soft, labels, 2));
        assertThat(d.network().params().toFloatVector()).containsExactly(distilled.network().params().toFloatVector());
    }
}
