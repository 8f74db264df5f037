package dev.kdstream.teacher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnsembleVersionsTest {

    @Test
    void theNextVersionIsTheSameEnsemblePlusOne() {
        assertThat(EnsembleVersions.next("ensemble-20261206T101010Z-s42")).isEqualTo("ensemble-20261206T101010Z-s42+1");
        assertThat(EnsembleVersions.next("ensemble-x+1")).isEqualTo("ensemble-x+2");
        assertThat(EnsembleVersions.next("ensemble-x+41")).isEqualTo("ensemble-x+42");
        assertThat(EnsembleVersions.next("a+b")).isEqualTo("a+b+1");
        assertThat(EnsembleVersions.next("+")).isEqualTo("++1");
        assertThat(EnsembleVersions.next("e+1234567890")).as("too long to be a count").isEqualTo("e+1234567890+1");
    }
}
