package dev.kdstream.bench.e2e;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One round of {@code ./kd bench flood}: prepared records written to a topic as fast as the
 * broker takes them, then waited on until a reader downstream has every one; what is done is
 * sampled from the first send on into a {@link RateCurve}. A record the broker refuses ends the
 * run: the figure would be of fewer records than it says.
 */
final class Flood {

    /** One prepared record: its bytes are made before the clock starts, so the client costs almost nothing. */
    record Message(byte[] key, byte[] value) {
    }

    /**
     * @param seconds from the first send to the last record done (or the last progress of a round that stalled)
     * @param done    distinct records the reader downstream had by then
     */
    record Round(long acked, long done, double seconds) {

        double eventsPerSecond() {
            return Math.min(acked, done) / Math.max(1e-3, seconds);
        }

        long missing() {
            return Math.max(0, acked - done);
        }
    }

    private static final long POLL_MILLIS = 20;

    private final KafkaProducer<byte[], byte[]> producer;
    private final long stallMillis;

    /** @param stallMillis a round that makes no progress for this long ends with what it reached */
    Flood(final KafkaProducer<byte[], byte[]> producer, final long stallMillis) {
        this.producer = producer;
        this.stallMillis = stallMillis;
    }

    /** @param done records through downstream since the round began (it starts at 0) */
    Round run(final String topic, final List<Message> messages, final LongSupplier done,
              final RateCurve.Sampler sampler) throws InterruptedException {
        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<Exception> firstFailure = new AtomicReference<>();
        final long start = System.nanoTime();
        try (Sampling sampling = new Sampling(done, sampler)) {
            for (final Message m : messages) {
                producer.send(new ProducerRecord<>(topic, m.key(), m.value()), (metadata, e) -> {
                    if (e == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            if (firstFailure.get() != null) {
                throw new IllegalStateException(failed.get() + " of " + messages.size() + " records were not "
                        + "written to " + topic + ", the first because of: " + firstFailure.get(), firstFailure.get());
            }
            long last = -1;
            long lastMove = System.nanoTime();
            while (true) {
                final long now = System.nanoTime();
                final long through = done.getAsLong();
                if (through >= acked.get()) {
                    return new Round(acked.get(), through, (now - start) / 1e9);
                }
                if (through != last) {
                    last = through;
                    lastMove = now;
                } else if ((now - lastMove) / 1_000_000 > stallMillis) {
                    return new Round(acked.get(), through, (lastMove - start) / 1e9);
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }
}
