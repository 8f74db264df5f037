package dev.kdstream.teacher.streams;

import dev.kdstream.contracts.records.SoftTargetRecord;

/**
 * A soft target on its way to the {@code soft-targets} topic, with its features as the producer
 * wrote them when the parser kept that text (its fast path): {@link OutgoingSoftTargetSerializer}
 * copies the text instead of printing the doubles. Printing them took 2.4-3.2 us per soft
 * target, copying 1.0-1.3 ({@code ./kd bench soft-target}).
 * A reader parses the same doubles either way; the bytes keep the producer's way of writing them.
 *
 * @param featuresJson the input's {@code features} array, or null to print {@code record.features()}
 */
record OutgoingSoftTarget(SoftTargetRecord record, String featuresJson) {
}
