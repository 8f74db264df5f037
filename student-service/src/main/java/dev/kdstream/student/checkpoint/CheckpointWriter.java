package dev.kdstream.student.checkpoint;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.StudentCheckpoint;

/**
 * Publishes checkpoints to the compacted checkpoints topic, keyed by trainer id, one at a time
 * and synchronously: the trainer only counts a checkpoint once the broker has acknowledged it.
 */
public final class CheckpointWriter implements AutoCloseable {

    private final Topic<String, StudentCheckpoint> topic;
    private final Producer<String, StudentCheckpoint> producer;

    public CheckpointWriter(final KdConfig config, final String clientId) {
        this.topic = Topics.of(config.topics()).checkpoints();
        this.producer = new KafkaProducer<>(producerConfig(config, clientId), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    static Properties producerConfig(final KdConfig config, final String clientId) {
        final Properties p = config.kafkaProperties();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // a retried send never writes a checkpoint twice, and a lost leader never loses one
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(TopicAdmin.CHECKPOINT_MAX_BYTES));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // bounded waits: the trainer thread blocks on each send
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return p;
    }

    /** The producer, for client metrics. */
    public Producer<String, StudentCheckpoint> producer() {
        return producer;
    }

    /**
     * Sends and waits for the acknowledgement.
     *
     * @throws CheckpointException when the broker did not acknowledge it
     */
    public RecordMetadata publish(final StudentCheckpoint checkpoint) {
        try {
            return producer.send(new ProducerRecord<>(topic.name(), checkpoint.trainerId(), checkpoint)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("interrupted while publishing checkpoint v" + checkpoint.version(), e);
        } catch (ExecutionException e) {
            throw new CheckpointException("checkpoint v" + checkpoint.version() + " was not written to "
                    + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (RuntimeException e) {
            throw new CheckpointException("checkpoint v" + checkpoint.version() + " was not written to "
                    + topic.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
