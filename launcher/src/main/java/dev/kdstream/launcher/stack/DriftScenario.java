package dev.kdstream.launcher.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kdstream.client.produce.stream.Drift;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.CommittedReader;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.student.drift.DriftOutcomes;
import dev.kdstream.student.trainer.StudentPair;

/**
 * {@code ./kd stack --scenario drift}: the stack's stream changes concept part way ({@link Drift}),
 * and at the end the stack says how its responses fared: from the trainer's scores, each record by
 * its position in the stream as the trainer sees it (one partition keeps the producer's order; every
 * record is scored at a budget of 1.0), who was right; from {@code drift-events}, where the
 * detectors fired.
 */
final class DriftScenario implements StudentPair.ScoreListener {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String[] MODELS = {"ensemble", "distilled", "baseline"};

    private final Drift.Kind kind;
    private final long at;
    private final DriftOutcomes outcomes = new DriftOutcomes();
    private final AtomicLong position = new AtomicLong();
    /** Stream positions of the records after the change, by id: where a detection's record was. */
    private final Map<String, Long> positions = new ConcurrentHashMap<>();

    /** @param at the stream position the change starts at */
    DriftScenario(final Drift.Kind kind, final long at) {
        this.kind = kind;
        this.at = at;
    }

    @Override
    public void scored(final SoftTargetRecord r, final int teacher, final int distilled, final int baseline) {
        final long p = position.getAndIncrement();
        if (p >= at) {
            positions.put(r.id(), p);
        }
        if (r.labelled() && !r.holdout()) {
            outcomes.add(p, teacher == r.label(), distilled == r.label(), baseline == r.label());
        }
    }

    void print(final PrintWriter out, final KdConfig reader) {
        out.printf(Locale.ROOT, "%nscenario:  drift (%s) from record %,d; %,d records scored%n", kind.name()
                .toLowerCase(Locale.ROOT), at, position.get());
        final Map<String, Long> first = new java.util.LinkedHashMap<>();
        for (final DriftEvent e : events(reader)) {
            final Long p = positions.get(e.recordId());
            if (p != null && !first.containsKey(e.signal())) {
                first.put(e.signal(), p - at);
            }
        }
        out.println("detected:  " + (first.isEmpty() ? "nothing after the change"
                : String.join(", ", first.entrySet().stream().map(e -> String.format(Locale.ROOT,
                "%s %,d records after the change", e.getKey(), e.getValue())).toList())));
        out.printf(Locale.ROOT, "%-10s %9s %14s %22s%n", "", "before", "lowest after", "records to recover");
        for (int m = 0; m < MODELS.length; m++) {
            final DriftOutcomes.Model model = outcomes.model(m, at);
            out.printf(Locale.ROOT, "%-10s %9s %14s %22s%n", MODELS[m], percent(model.before()),
                    percent(model.lowest()), model.recovery() < 0 ? "not yet"
                            : String.format(Locale.ROOT, "%,d", model.recovery()));
        }
        out.printf(Locale.ROOT, "(accuracies over %,d labelled records before the change and the lowest over %,d "
                + "after it; recovered: back within %.0f pt of before)%n", DriftOutcomes.BEFORE, DriftOutcomes.WINDOW,
                100 * DriftOutcomes.RECOVERED);
        out.flush();
    }

    /** "n/a" where there were no labelled records to measure on. */
    private static String percent(final double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static List<DriftEvent> events(final KdConfig config) {
        final List<DriftEvent> events = new ArrayList<>();
        try (CommittedReader<String, DriftEvent> r = new CommittedReader<>(
                CommittedReader.config(config.kafkaProperties(), "kd-stack-scenario"), new StringDeserializer(),
                Topics.of(config.topics()).driftEvents().valueSerde().deserializer())) {
            final List<TopicPartition> partitions = r.assignAll(config.topics().driftEvents(), PATIENCE);
            r.read(r.beginningOffsets(partitions, PATIENCE), r.endOffsets(partitions, PATIENCE),
                    System.nanoTime() + PATIENCE.toNanos(), c -> events.add(c.value()));
        }
        events.sort((a, b) -> Long.compare(a.detectedAt(), b.detectedAt()));
        return events;
    }
}
