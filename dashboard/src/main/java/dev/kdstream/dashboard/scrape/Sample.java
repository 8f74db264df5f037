package dev.kdstream.dashboard.scrape;

import java.util.Map;

/**
 * One line of a Prometheus text exposition: {@code name{label="value",...} value}.
 *
 * @param value NaN, +Inf and -Inf as the exposition writes them
 */
public record Sample(String name, Map<String, String> labels, double value) {

    public Sample {
        labels = Map.copyOf(labels);
    }

    /** The label's value, or "" where the sample has no such label (Prometheus's own rule). */
    public String label(final String key) {
        return labels.getOrDefault(key, "");
    }
}
