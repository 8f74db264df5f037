package dev.kdstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ProbabilitiesTest {

    @Test
    void softmaxOfKnownLogits() {
        // exp(0)=1, exp(ln 3)=3: probabilities 1/4 and 3/4
        assertThat(Probabilities.softmax(new double[] {0, Math.log(3)}))
                .containsExactly(new double[] {0.25, 0.75}, within(1e-12));
        // at T = 2 the gap halves: exp(ln3 / 2) = sqrt(3)
        final double s = Math.sqrt(3);
        assertThat(Probabilities.softmax(new double[] {0, Math.log(3)}, 2.0))
                .containsExactly(new double[] {1 / (1 + s), s / (1 + s)}, within(1e-12));
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        assertThat(Probabilities.softmax(new double[] {1000, 0})).containsExactly(new double[] {1, 0}, within(1e-12));
        assertThat(Probabilities.logSoftmax(new double[] {1000, 0}, 1.0)[1]).isCloseTo(-1000, within(1e-9));
    }

    @Test
    void klDivergenceOfKnownDistributions() {
        // KL([.5,.5] || [.25,.75]) = .5 ln 2 + .5 ln(2/3)
        final double expected = 0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3);
        assertThat(LossOracle.klDivergence(new double[] {.5, .5}, new double[] {.25, .75}))
                .isCloseTo(expected, within(1e-12));
        assertThat(Probabilities.klDivergenceToLogits(new double[] {.5, .5}, new double[] {0, Math.log(3)}, 1.0))
                .isCloseTo(expected, within(1e-12));
        assertThat(LossOracle.klDivergence(new double[] {1, 0}, new double[] {1, 0})).isZero();
    }

    @Test
    void crossEntropyAndArgmax() {
        assertThat(LossOracle.crossEntropy(1, new double[] {0, Math.log(3)})).isCloseTo(-Math.log(0.75), within(1e-12));
        assertThat(Probabilities.argmax(new double[] {0.1, 0.7, 0.2})).isEqualTo(1);
        assertThat(Probabilities.argmax(new double[] {3, 3})).as("the first on ties").isZero();
    }

    @Test
    void distillationLossMatchesHandComputedValue() {
        // z = [0, ln 3], T = 1, q = [.5, .5], y = class 1, alpha = .7:
        // .7 * 1 * KL([.5,.5] || [.25,.75]) + .3 * -ln(.75)
        final double kl = 0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3);
        final double expected = 0.7 * kl + 0.3 * -Math.log(0.75);
        final double[] g = new double[2];
        final double loss = Probabilities.distillationLossAndGradient(new double[] {0, Math.log(3)},
                new double[] {.5, .5}, new double[] {0, 1}, 1.0, 0.7, g);
        assertThat(loss).isCloseTo(expected, within(1e-12));
        // gradient: .7 * (p - q) + .3 * (p - y) with p = [.25, .75]
        assertThat(g).containsExactly(new double[] {.7 * -.25 + .3 * .25, .7 * .25 + .3 * -.25}, within(1e-12));
        assertThat(LossOracle.distillationLoss(new double[] {0, Math.log(3)}, new double[] {.5, .5}, 1, 1.0, 0.7))
                .isCloseTo(expected, within(1e-12));
    }

    @Test
    void temperatureScalesTheSoftTermByTSquared() {
        // z = [0, 2 ln 3], T = 2: softmax(z/2) = [.25,.75]; soft term = T^2 * KL = 4 * KL
        final double kl = 0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3);
        final double[] g = new double[2];
        final double loss = Probabilities.distillationLossAndGradient(new double[] {0, 2 * Math.log(3)},
                new double[] {.5, .5}, new double[] {0, 0}, 2.0, 1.0, g);
        assertThat(loss).isCloseTo(4 * kl, within(1e-12));
        // dL/dz = alpha * T * (softmax(z/T) - q) = 2 * [-.25, .25]
        assertThat(g).containsExactly(new double[] {-0.5, 0.5}, within(1e-12));
    }

    @Test
    void unlabelledRecordsContributeTheSoftTermOnly() {
        final double[] z = {0.3, -1.2, 2.0};
        final double[] q = {0.2, 0.1, 0.7};
        final double[] g = new double[3];
        final double unlabelled = Probabilities.distillationLossAndGradient(z, q, new double[3], 3.0, 0.7, g);
        assertThat(unlabelled).isCloseTo(0.7 * 9 * Probabilities.klDivergenceToLogits(q, z, 3.0), within(1e-12));
        assertThat(LossOracle.distillationLoss(z, q, -1, 3.0, 0.7)).isCloseTo(unlabelled, within(1e-12));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        final double[] z = {0.4, -1.1, 2.3, 0.05};
        final double[] q = {0.1, 0.05, 0.6, 0.25};
        final double[] y = {0, 0, 1, 0};
        for (final double alpha : new double[] {0.0, 0.7, 1.0}) {
            final double[] g = new double[4];
            Probabilities.distillationLossAndGradient(z, q, y, 3.0, alpha, g);
            for (int i = 0; i < z.length; i++) {
                final double h = 1e-6;
                final double[] up = z.clone();
                final double[] down = z.clone();
                up[i] += h;
                down[i] -= h;
                final double numeric = (Probabilities.distillationLossAndGradient(up, q, y, 3.0, alpha, new double[4])
                        - Probabilities.distillationLossAndGradient(down, q, y, 3.0, alpha, new double[4])) / (2 * h);
                assertThat(g[i]).as("alpha %s, dz%d", alpha, i).isCloseTo(numeric, within(1e-7));
            }
        }
    }

    @Test
    void gradientAloneOfKnownLogits() {
        // softmax(0, ln 3) = (1/4, 3/4)
        final double[] z = {0, Math.log(3)};
        final double[] g = new double[2];
        Probabilities.distillationGradient(z, new double[] {0.5, 0.5}, new double[2], 1.0, 1.0, g);
        assertThat(g).containsExactly(new double[] {-0.25, 0.25}, within(1e-15));
        Probabilities.distillationGradient(z, new double[2], new double[] {0, 1}, 1.0, 0.0, g);
        assertThat(g).containsExactly(new double[] {0.25, -0.25}, within(1e-15));
        // unlabelled, alpha 0.7: the soft term only, alpha * T (softmax(z / T) - q) with T = 2
        final double s = Math.sqrt(3);
        Probabilities.distillationGradient(z, new double[] {0.5, 0.5}, new double[2], 2.0, 0.7, g);
        assertThat(g).containsExactly(new double[] {1.4 * (1 / (1 + s) - 0.5), 1.4 * (s / (1 + s) - 0.5)},
                within(1e-15));
        // not annotated, labelled, alpha 0.7: cross-entropy alone, at weight 1 (softmax(z) - y)
        Probabilities.distillationGradient(z, null, new double[] {0, 1}, 2.0, 0.7, g);
        assertThat(g).containsExactly(new double[] {0.25, -0.25}, within(1e-15));
        assertThat(Probabilities.distillationLossAndGradient(z, null, new double[] {0, 1}, 2.0, 0.7, g))
                .isCloseTo(-Math.log(0.75), within(1e-15));
    }

    @Test
    void gradientAloneIsTheFormulaOverRandomLogits() {
        final Random rng = new Random(5);
        for (int trial = 0; trial < 1000; trial++) {
            final int c = 2 + rng.nextInt(9);
            final double[] z = new double[c];
            final double[] q = new double[c];
            final double[] y = new double[c];
            double sum = 0;
            for (int i = 0; i < c; i++) {
                z[i] = rng.nextGaussian() * 8;
                q[i] = rng.nextDouble();
                sum += q[i];
            }
            for (int i = 0; i < c; i++) {
                q[i] /= sum;
            }
            if (rng.nextBoolean()) {
                y[rng.nextInt(c)] = 1;
            }
            final double alpha = new double[] {0.0, 0.7, 1.0, rng.nextDouble()}[trial % 4];
            final double temperature = 0.5 + rng.nextDouble() * 5;
            // dL/dz = alpha T (softmax(z/T) - q) + (1 - alpha) (sum(y) softmax(z) - y), through softmax()
            final double[] soft = Probabilities.softmax(z, temperature);
            final double[] hard = Probabilities.softmax(z);
            final double labelled = Arrays.stream(y).sum();
            final double[] expected = new double[c];
            for (int i = 0; i < c; i++) {
                expected[i] = alpha * temperature * (soft[i] - q[i]) + (1 - alpha) * (labelled * hard[i] - y[i]);
            }
            final double[] actual = new double[c];
            Arrays.fill(actual, Double.NaN); // whatever the array held is overwritten
            Probabilities.distillationGradient(z, q, y, temperature, alpha, actual);
            assertThat(actual).as("trial %d", trial).containsExactly(expected, within(1e-12));
        }
    }
}
