package dev.kdstream.contracts.kafka;

import dev.kdstream.contracts.config.KdConfig;

/** The topic names in use (configurable: see {@code ConfigKey.TOPIC_*}). */
public record TopicNames(String features, String softTargets, String predictions, String checkpoints,
                         String featuresDlq) {

    /** The defaults of {@code ConfigKey.TOPIC_*}, where they are declared. */
    public static TopicNames defaults() {
        return KdConfig.defaults().topics();
    }
}
