package dev.kdstream.bench.e2e;

/** (d)'s figures: records acknowledged, failed, delivered to both readers, seconds; its CPU span. */
record KafkaOnlyResult(long acked, long failed, long delivered, double seconds, ThreadCpu[] cpu) {

    double eventsPerSecond() {
        return acked / Math.max(1e-3, seconds);
    }
}
