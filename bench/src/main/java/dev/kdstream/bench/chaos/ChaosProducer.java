package dev.kdstream.bench.chaos;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kdstream.contracts.data.Dataset;

/**
 * Streams the chaos run's input at a steady rate, through broker restarts: an idempotent producer
 * with acks=all and delivery timeouts longer than any outage, so every record is acknowledged once.
 * Every 50th record is invalid (three kinds in turn), one in five is unlabelled, one in ten holdout.
 */
final class ChaosProducer implements Runnable {

    /** Every this-many-th record is invalid. */
    static final int INVALID_EVERY = 50;

    private final Properties client;
    private final String topic;
    private final Dataset data;
    private final int records;
    private final double rate;
    private final Set<String> ackedValid = ConcurrentHashMap.newKeySet();
    private final Set<String> ackedInvalid = ConcurrentHashMap.newKeySet();
    private final Set<String> ackedUnlabelledTraining = ConcurrentHashMap.newKeySet();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean done;

    ChaosProducer(final Properties client, final String topic, final Dataset data, final int records,
                  final double rate) {
        this.client = client;
        this.topic = topic;
        this.data = data;
        this.records = records;
        this.rate = rate;
    }

    @Override
    public void run() {
        final Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // longer than any broker outage of the schedule: a record is retried, never given up on
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        final long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                final long due = start + (long) (i * 1e9 / rate);
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                final String id = "c-" + i;
                final boolean invalid = isInvalid(i);
                final boolean unlabelledTraining = !invalid && unlabelledTraining(i);
                producer.send(new ProducerRecord<>(topic, utf8(id), utf8(json(i, id))), (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    } else {
                        (invalid ? ackedInvalid : ackedValid).add(id);
                        if (unlabelledTraining) {
                            ackedUnlabelledTraining.add(id);
                        }
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done = true;
        }
    }

    static boolean isInvalid(final int i) {
        return i % INVALID_EVERY == INVALID_EVERY - 1;
    }

    private String json(final int i, final String id) {
        final double[] x = data.features()[i % data.size()];
        if (isInvalid(i)) {
            return switch ((i / INVALID_EVERY) % 3) {
                case 0 -> "{\"id\":\"" + id + "\",\"features\":[1.0,2.0]}";
                case 1 -> "{\"id\":\"" + id + "\",\"features\":[1.0,";
                default -> "{\"id\":\"" + id + "\",\"features\":" + array(x) + ",\"label\":" + (data.numClasses() + 5)
                        + "}";
            };
        }
        final boolean holdout = holdout(i);
        final String label = unlabelledTraining(i) ? "null" : Integer.toString(data.labels()[i % data.size()]);
        return "{\"id\":\"" + id + "\",\"features\":" + array(x) + ",\"label\":" + label + ",\"split\":\""
                + (holdout ? "holdout" : "train") + "\",\"ts\":" + System.currentTimeMillis() + "}";
    }

    private static boolean holdout(final int i) {
        return i % 10 == 3;
    }

    private static boolean unlabelledTraining(final int i) {
        return !holdout(i) && i % 5 == 1;
    }

    private static String array(final double[] x) {
        final StringBuilder b = new StringBuilder("[");
        for (int j = 0; j < x.length; j++) {
            b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", x[j]));
        }
        return b.append(']').toString();
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    boolean done() {
        return done;
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    Set<String> ackedValid() {
        return ackedValid;
    }

    /** Of the valid ones, the unlabelled training records: a teacher budget may leave them out. */
    Set<String> ackedUnlabelledTraining() {
        return ackedUnlabelledTraining;
    }

    Set<String> ackedInvalid() {
        return ackedInvalid;
    }
}
