package dev.kdstream.bench.e2e;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThreadCpuTest {

    @Test
    void rolesDropApplicationIdsAndInstanceNumbers() {
        assertThat(ThreadCpu.role("kd-teacher-1f0c2a9e-5b7d-4c1e-9a3b-0123456789ab-StreamThread-1"))
                .isEqualTo("kd-teacher-StreamThread");
        assertThat(ThreadCpu.role("kafka-producer-network-thread | kd-server-1f0c2a9e-5b7d-4c1e-9a3b-0123456789ab"
                + "-StreamThread-1-producer")).isEqualTo("kafka-producer-network-thread | kd-server-StreamThread-1-producer");
        assertThat(ThreadCpu.role("data-plane-kafka-request-handler-6")).isEqualTo("data-plane-kafka-request-handler");
        assertThat(ThreadCpu.role("student-trainer-student")).isEqualTo("student-trainer-student");
    }

    @Test
    void coresAreCpuDeltasOverWallTimeSummedByRoleWithTheRemainderAsTheJvm() {
        final Map<Long, String> names = Map.of(1L, "worker-1", 2L, "worker-2", 3L, "main", 4L, "late-starter");
        final Map<Long, Long> before = Map.of(1L, 100L, 2L, 0L, 3L, 50L);
        final Map<Long, Long> after = Map.of(1L, 600L, 2L, 300L, 3L, 150L, 4L, 200L);
        // workers 500 + 300, main 100, late-starter 200 from zero: 1,100 of a process delta of 1,500
        final Map<String, Double> cores = ThreadCpu.coresByRole(before, after, names, 1_500, 1_000);
        assertThat(cores.keySet()).containsExactly("worker", ThreadCpu.JVM_ROLE, "late-starter", "main");
        assertThat(cores.get("worker")).isCloseTo(0.8, within(1e-12));
        assertThat(cores.get(ThreadCpu.JVM_ROLE)).isCloseTo(0.4, within(1e-12));
        assertThat(cores.get("late-starter")).isCloseTo(0.2, within(1e-12));
        assertThat(cores.get("main")).isCloseTo(0.1, within(1e-12));
    }
}
