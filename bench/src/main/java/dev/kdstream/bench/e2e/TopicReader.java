package dev.kdstream.bench.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kdstream.contracts.config.KdConfig;

/**
 * A read_committed consumer (what any downstream reader sees) of every partition of one topic,
 * from the beginning, on a daemon thread of its own, handing each poll's records to a handler.
 * A failure of the consumer or the handler ends the thread and is kept for {@link #requireAlive}.
 */
final class TopicReader implements AutoCloseable {

    /** What is done with each poll's records, on the reader's thread. */
    @FunctionalInterface
    interface Handler {
        void accept(ConsumerRecords<byte[], byte[]> records) throws IOException;
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    /** @param name the consumer's client id and the thread's name */
    TopicReader(final KdConfig config, final String topic, final String name, final Handler handler) {
        final Properties p = config.kafkaProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.handler = handler;
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Throws what stopped the reader, if anything did. */
    void requireAlive() {
        if (failure != null) {
            throw failure;
        }
    }

    boolean alive() {
        return failure == null;
    }

    private void run() {
        try {
            while (!stop) {
                handler.accept(consumer.poll(Duration.ofMillis(100)));
            }
        } catch (WakeupException e) {
            // close() woke the poll: done
        } catch (IOException | RuntimeException e) {
            failure = new IllegalStateException("the benchmark's consumer failed: " + e, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
