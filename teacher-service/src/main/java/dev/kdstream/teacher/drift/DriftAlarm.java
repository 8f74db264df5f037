package dev.kdstream.teacher.drift;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.records.DriftEvent;

/**
 * The drifts the trainers report on {@code drift-events}, as the teacher hears of them: a count
 * its tasks watch ({@link #detections()}) to spend more teacher after each. Fed by {@link Loader},
 * the processor of a global store over the topic. Events detected before this teacher started are
 * history (a global store reads its topic from the beginning at every start), not news: not counted.
 */
public final class DriftAlarm {

    private static final Logger LOG = LoggerFactory.getLogger(DriftAlarm.class);

    private final long startedAt;
    private final Runnable onNews;
    private final AtomicLong detections = new AtomicLong();
    /**
     * The detections counted, by trainer, signal and position: a trainer whose commit timed out after
     * succeeding writes one again with its next checkpoint. Only the global thread touches it.
     */
    private final java.util.Set<String> heard = new java.util.HashSet<>();

    /**
     * @param startedAt wall-clock ms from which a detection is news
     * @param onNews    told of each detection that is news (on the global stream thread)
     */
    public DriftAlarm(final long startedAt, final Runnable onNews) {
        this.startedAt = startedAt;
        this.onNews = onNews;
    }

    /** Detections heard of since the start; a task compares it with the count it last saw. Thread-safe. */
    public long detections() {
        return detections.get();
    }

    /** Takes one event: counted when it is news. */
    public void heard(final DriftEvent e) {
        if (e.detectedAt() >= startedAt && heard.add(e.trainerId() + "/" + e.signal() + "/" + e.position())) {
            detections.incrementAndGet();
            onNews.run();
            LOG.info("drift reported by trainer {}: {} rose from {} to {} at record {} ({})", e.trainerId(),
                    e.signal(), e.before(), e.after(), e.recordId(), e.detector());
        }
    }

    /** The global store's processor: decodes each event, skips (with a warning) what it cannot read. */
    public static final class Loader implements Processor<String, byte[], Void, Void> {

        private final DriftAlarm alarm;

        public Loader(final DriftAlarm alarm) {
            this.alarm = alarm;
        }

        @Override
        public void init(final ProcessorContext<Void, Void> context) {
            // nothing kept: the count is the alarm's
        }

        @Override
        public void process(final Record<String, byte[]> record) {
            if (record.value() == null) {
                return;
            }
            try {
                alarm.heard(Json.MAPPER.readValue(record.value(), DriftEvent.class));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("skipping a drift event the teacher cannot read: {}", e.getMessage());
            }
        }
    }
}
