package dev.kdstream.common.records;

/**
 * A parsed {@code features} record and, when the parser kept it, its {@code features} array as the
 * producer wrote it (JSON text, ASCII). The teacher copies that text into the soft target instead
 * of printing the 20 doubles again: printing them was a sixth of its stream thread's samples
 * (JFR, {@code ./kd bench e2e}). Parsing the same text gives the same doubles, so a reader of
 * {@code soft-targets} cannot tell the difference.
 *
 * @param featuresJson the array's text, or null when the record took the parser's slow path
 */
public record ParsedFeature(FeatureRecord record, String featuresJson) {
}
