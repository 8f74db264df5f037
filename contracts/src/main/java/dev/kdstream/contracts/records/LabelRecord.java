package dev.kdstream.contracts.records;

/**
 * A record on the {@code labels} topic: the class of a feature record sent earlier without one
 * (a chargeback, a click, a failure found out later). Key: the record id, as on {@code features}.
 *
 * @param ts when the label became known, epoch ms (defaults to the Kafka record timestamp)
 */
public record LabelRecord(String id, int label, long ts) {
}
