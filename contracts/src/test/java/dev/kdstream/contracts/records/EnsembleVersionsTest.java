package dev.kdstream.contracts.records;

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

    @Test
    void onlyALaterRefreshOfTheSameEnsembleRefreshesIt() {
        assertThat(EnsembleVersions.refreshes("e+1", "e")).isTrue();
        assertThat(EnsembleVersions.refreshes("e+3", "e+2")).isTrue();
        assertThat(EnsembleVersions.refreshes("e", "e+1")).as("a restarted teacher, back to its file").isFalse();
        assertThat(EnsembleVersions.refreshes("e+1", "e+1")).isFalse();
        assertThat(EnsembleVersions.refreshes("f+1", "e")).as("another ensemble").isFalse();
    }
}
