package dev.kdstream.contracts.kafka;

import java.util.List;

import dev.kdstream.contracts.config.KdConfig;

/** The topic names in use (configurable: see {@code ConfigKey.TOPIC_*}). */
public record TopicNames(String features, String softTargets, String predictions, String checkpoints,
                         String featuresDlq, String control, String shadowPredictions, String driftEvents,
                         String labels, String labelsDlq) {

    /** Every topic, in the pipeline's order. */
    public List<String> all() {
        return List.of(features, softTargets, predictions, checkpoints, featuresDlq, control, shadowPredictions,
                driftEvents, labels, labelsDlq);
    }

    /** The defaults of {@code ConfigKey.TOPIC_*}, where they are declared. */
    public static TopicNames defaults() {
        return KdConfig.defaults().topics();
    }
}
