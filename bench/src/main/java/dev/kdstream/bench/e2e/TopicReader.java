package dev.kdstream.bench.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.CommittedReader;

/**
 * A {@link CommittedReader} (what any downstream reader sees) of every partition of one topic,
 * from the beginning or from its end, on a daemon thread of its own, handing each poll's records
 * to a handler.
 * A failure of the consumer or the handler ends the thread and is kept for {@link #requireAlive}.
 */
final class TopicReader implements AutoCloseable {

    /** What is done with each poll's records, on the reader's thread. */
    @FunctionalInterface
    interface Handler {
        void accept(ConsumerRecords<byte[], byte[]> records) throws IOException;
    }

    private final CommittedReader<byte[], byte[]> reader;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    /** From the beginning of the topic. @param name the consumer's client id and the thread's name */
    TopicReader(final KdConfig config, final String topic, final String name, final Handler handler) {
        this(config, topic, name, false, handler);
    }

    /** @param fromEnd read only what is written after this returns */
    TopicReader(final KdConfig config, final String topic, final String name, final boolean fromEnd,
                final Handler handler) {
        this.reader = new CommittedReader<>(CommittedReader.config(config.kafkaProperties(), name),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.handler = handler;
        try {
            final List<TopicPartition> partitions = reader.assignAll(topic, Duration.ofSeconds(60));
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            if (fromEnd) {
                // the end now, not at the first poll: records written after this returns are read
                reader.endOffsets(partitions, Duration.ofSeconds(60)).forEach(reader::seek);
            } else {
                reader.seekToBeginning(partitions);
            }
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
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
                handler.accept(reader.poll(Duration.ofMillis(100)));
            }
        } catch (WakeupException e) {
            // close() woke the poll: done
        } catch (IOException | RuntimeException e) {
            failure = new IllegalStateException("the benchmark's consumer failed: " + e, e);
        } finally {
            reader.close();
        }
    }

    @Override
    public void close() {
        stop = true;
        reader.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
