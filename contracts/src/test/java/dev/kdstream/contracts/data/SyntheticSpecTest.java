package dev.kdstream.contracts.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticSpecTest {

    @Test
    void seedDefaultsAreTheTutorials() {
        assertThat(SyntheticSpec.seedDefaults())
                .isEqualTo(new SyntheticSpec(5000, 20, 10, 5, 0, 2, 2, 1.0, 0.01, 42L));
        assertThat(SyntheticSpec.seedDefaults().useless()).isEqualTo(5);
        assertThat(SyntheticSpec.seedDefaults().clusters()).isEqualTo(4);
        assertThat(SyntheticSpec.seedDefaults().withSeed(7).seed()).isEqualTo(7);
    }

    @Test
    void featureCountsMustFit() {
        assertThatThrownBy(() -> new SyntheticSpec(100, 10, 6, 4, 1, 2, 1, 1.0, 0.0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Number of informative, redundant and repeated features must sum to less than or equal"
                        + " the number of total features (6 + 4 + 1 > 10)");
        // exactly full is fine
        assertThat(new SyntheticSpec(100, 10, 6, 4, 0, 2, 1, 1.0, 0.0, 1).useless()).isZero();
    }

    @Test
    void clustersMustFitOnTheHypercube() {
        assertThatThrownBy(() -> new SyntheticSpec(100, 10, 2, 0, 0, 3, 2, 1.0, 0.0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("classes(3) * clustersPerClass(2) must be smaller or equal 2**informative(2)=4");
        assertThat(new SyntheticSpec(100, 10, 2, 0, 0, 2, 2, 1.0, 0.0, 1).clusters()).isEqualTo(4);
        // 2^64 would overflow a long: still accepted
        assertThat(new SyntheticSpec(100, 64, 64, 0, 0, 1000, 1000, 1.0, 0.0, 1).clusters()).isEqualTo(1_000_000);
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertInvalid(() -> new SyntheticSpec(0, 20, 10, 5, 0, 2, 2, 1.0, 0.01, 42), "samples must be positive, got 0");
        assertInvalid(() -> new SyntheticSpec(10, 0, 1, 0, 0, 2, 1, 1.0, 0.01, 42), "features must be positive, got 0");
        assertInvalid(() -> new SyntheticSpec(10, 5, 0, 0, 0, 2, 1, 1.0, 0.01, 42),
                "informative must be positive, got 0");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, -1, 0, 2, 1, 1.0, 0.01, 42), "redundant must be >= 0, got -1");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, 0, -1, 2, 1, 1.0, 0.01, 42), "repeated must be >= 0, got -1");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, 0, 0, 1, 1, 1.0, 0.01, 42),
                "classes must be at least 2, got 1");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, 0, 0, 2, 0, 1.0, 0.01, 42),
                "clustersPerClass must be positive, got 0");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, 0, 0, 2, 1, -1.0, 0.01, 42),
                "classSep must be a finite number >= 0, got -1.0");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, 0, 0, 2, 1, Double.NaN, 0.01, 42),
                "classSep must be a finite number >= 0, got NaN");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, 0, 0, 2, 1, 1.0, 1.5, 42), "flipY must be in [0, 1], got 1.5");
        assertInvalid(() -> new SyntheticSpec(10, 5, 2, 0, 0, 2, 1, 1.0, Double.NaN, 42),
                "flipY must be in [0, 1], got NaN");
    }

    private static void assertInvalid(final Runnable construct, final String message) {
        assertThatThrownBy(construct::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
