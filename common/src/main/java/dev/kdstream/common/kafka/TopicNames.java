package dev.kdstream.common.kafka;

/** The topic names in use (configurable: see {@code ConfigKey.TOPIC_*}). */
public record TopicNames(String features, String softTargets, String predictions, String checkpoints,
                         String featuresDlq) {

    public static TopicNames defaults() {
        return new TopicNames("features", "soft-targets", "predictions", "student-checkpoints", "features-dlq");
    }
}
