package dev.kdstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.data.CsvDatasetReader;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.data.SharedData;
import dev.kdstream.contracts.data.SyntheticDataset;
import dev.kdstream.contracts.data.SyntheticSpec;

class StandardizerTest {

    private static Dataset of(final double[][] x) {
        return new Dataset("t", x, new int[x.length], 2);
    }

    @Test
    void populationMeanAndStd() {
        final Standardizer s = Standardizer.fit(of(new double[][] {{1, 10}, {2, 20}, {3, 30}, {4, 40}}));

        assertThat(s.width()).isEqualTo(2);
        assertThat(s.mean()).containsExactly(2.5, 25.0);
        // ddof = 0: sqrt(((1.5^2 + 0.5^2) * 2) / 4) = sqrt(1.25)
        assertThat(s.std()[0]).isCloseTo(Math.sqrt(1.25), offset(1e-15));
        assertThat(s.std()[1]).isCloseTo(Math.sqrt(125.0), offset(1e-13));
        assertThat(s.transform(new double[] {1, 40})).containsExactly(
                (float) (-1.5 / Math.sqrt(1.25)), (float) (15 / Math.sqrt(125.0)));
    }

    @Test
    void constantColumnsMapToZero() {
        // 0.1 three times has a computed variance of ~1e-34, not 0: still constant
        final Standardizer s = Standardizer.fit(of(new double[][] {{7, 0.1, 1}, {7, 0.1, 2}, {7, 0.1, 3}}));

        assertThat(s.std()[0]).isEqualTo(1.0);
        assertThat(s.std()[1]).isEqualTo(1.0);
        // the mean of three 0.1s is 0.1 + 1 ulp, so that column gives -1.4e-17, as in scikit-learn
        assertThat(s.transform(new double[] {7, 0.1, 2})).containsExactly(new float[] {0f, 0f, 0f}, offset(1e-12f));
        assertThat(s.transform(new double[] {8, 0.1, 2})[0]).isEqualTo(1f);
    }

    @Test
    void transformedTrainingDataHasMeanZeroAndStdOne() {
        final Dataset d = SyntheticDataset.generate(SyntheticSpec.seedDefaults());
        final float[][] z = Standardizer.fit(d).transform(d.features());

        assertThat(z).hasNumberOfRows(5000);
        for (int j = 0; j < d.width(); j++) {
            double sum = 0;
            double squares = 0;
            for (final float[] row : z) {
                sum += row[j];
                squares += (double) row[j] * row[j];
            }
            final double mean = sum / z.length;
            assertThat(mean).isCloseTo(0.0, offset(1e-6));
            assertThat(Math.sqrt(squares / z.length - mean * mean)).isCloseTo(1.0, offset(1e-6));
        }
    }

    @Test
    void checksWidth() {
        final Standardizer s = new Standardizer(new double[] {0, 0, 0}, new double[] {1, 1, 1});

        assertThatThrownBy(() -> s.transform(new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 3 features, got 2");
        assertThatThrownBy(() -> s.transform(new double[][] {{1, 2, 3}, {1, 2, 3, 4}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 3 features, got 4");
    }

    @Test
    void validatesItsArrays() {
        assertThatThrownBy(() -> new Standardizer(new double[] {0, 0}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mean has 2 columns but std has 1");
        assertThatThrownBy(() -> new Standardizer(new double[] {0}, new double[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Standardizer(new double[] {Double.NaN}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Standardizer.fit(of(new double[0][])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t: cannot fit a standardizer on no rows");
    }

    @Test
    void valueSemantics() {
        final double[] mean = {1, 2};
        final Standardizer s = new Standardizer(mean, new double[] {3, 4});
        mean[0] = 99;
        s.mean()[1] = 99;

        assertThat(s).isEqualTo(new Standardizer(new double[] {1, 2}, new double[] {3, 4}));
        assertThat(s).hasSameHashCodeAs(new Standardizer(new double[] {1, 2}, new double[] {3, 4}));
        assertThat(s).isNotEqualTo(new Standardizer(new double[] {1, 2}, new double[] {3, 5}));
        assertThat(s).hasToString("Standardizer[mean=[1.0, 2.0], std=[3.0, 4.0]]");
    }

    @Test
    void reproducesTheSharedScaler() throws IOException {
        final Optional<Path> train = SharedData.file("seed_synthetic_train.csv");
        final Optional<Path> scaler = SharedData.file("seed_synthetic_scaler.csv");
        assumeThat(train).as("shared seed data").isPresent();
        assumeThat(scaler).as("shared scaler").isPresent();

        final double[] mean = scalerRow(scaler.get(), "mean");
        final double[] std = scalerRow(scaler.get(), "std");
        final Standardizer s = Standardizer.fit(CsvDatasetReader.read(train.get()));

        assertThat(s.width()).isEqualTo(20);
        for (int j = 0; j < 20; j++) {
            assertThat(s.mean()[j]).as("mean f%d", j).isCloseTo(mean[j], offset(1e-9));
            assertThat(s.std()[j]).as("std f%d", j).isCloseTo(std[j], offset(1e-9));
        }
    }

    /** The row {@code stat,...} of the scaler file, which has a header {@code stat,f0,...,f19}. */
    private static double[] scalerRow(final Path file, final String stat) throws IOException {
        final List<String> lines = Files.readAllLines(file);
        return lines.stream()
                .filter(l -> l.startsWith(stat + ","))
                .findFirst()
                .map(l -> Arrays.stream(l.split(",")).skip(1).mapToDouble(Double::parseDouble).toArray())
                .orElseThrow(() -> new AssertionError(file + " has no " + stat + " row"));
    }
}
