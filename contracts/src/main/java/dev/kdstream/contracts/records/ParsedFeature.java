package dev.kdstream.contracts.records;

/**
 * A parsed {@code features} record and, when the parser kept it, its {@code features} array as the
 * producer wrote it (JSON text, ASCII), for a writer that passes the numbers on: the text parses
 * to exactly {@code record().features()}.
 *
 * @param featuresJson the array's text, or null when the record took the parser's slow path
 */
public record ParsedFeature(FeatureRecord record, String featuresJson) {
}
