package dev.kdstream.student.checkpoint;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.clients.producer.RecordMetadata;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.records.DriftEvent;
import dev.kdstream.contracts.kafka.Topic;
import dev.kdstream.contracts.kafka.TopicAdmin;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.StudentCheckpoint;

/**
 * Publishes checkpoints to the compacted checkpoints topic, keyed by trainer id, one at a time
 * and synchronously: the trainer only counts a checkpoint once the broker has acknowledged it.
 *
 * <p>Each checkpoint is its own transaction, under the {@code transactional.id} of the trainer id.
 * Starting a writer fences every earlier one with the same id: a second {@code ./kd student} or a
 * zombie container with the same {@code trainer.id} fails on its next checkpoint
 * ({@link TrainerFencedException}), and a checkpoint it had begun is aborted, invisible to the
 * servers and the restore, which read committed records only.
 */
public final class CheckpointWriter implements AutoCloseable {

    private final Topic<String, StudentCheckpoint> topic;
    private final Topic<String, DriftEvent> driftEvents;
    private final String trainerId;
    /** Bytes: one transaction carries a checkpoint and the drift events found before it, two topics' values. */
    private final Producer<String, byte[]> producer;

    /**
     * Fences the previous writer of {@code trainerId} and aborts its open checkpoint, if any.
     *
     * @throws CheckpointException when the broker does not answer
     */
    public CheckpointWriter(final KdConfig config, final String trainerId) {
        this.topic = Topics.of(config.topics()).checkpoints();
        this.driftEvents = Topics.of(config.topics()).driftEvents();
        this.trainerId = trainerId;
        this.producer = new KafkaProducer<>(producerConfig(config, trainerId), new StringSerializer(),
                new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new CheckpointException("cannot start the checkpoint writer of trainer '" + trainerId + "': "
                    + e.getMessage(), e);
        }
    }

    /** What every trainer's {@code transactional.id} starts with (an ACL grants it by this prefix). */
    public static final String TRANSACTIONAL_ID_PREFIX = "kd-trainer-";

    /** The {@code transactional.id} of a trainer's checkpoints. */
    static String transactionalId(final String trainerId) {
        return TRANSACTIONAL_ID_PREFIX + trainerId;
    }

    static Properties producerConfig(final KdConfig config, final String trainerId) {
        final Properties p = config.kafkaProperties();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "student-trainer-" + trainerId + "-checkpoints");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(trainerId));
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
    public Producer<String, byte[]> producer() {
        return producer;
    }

    /**
     * Sends and waits for the acknowledgement.
     *
     * @throws CheckpointException when the broker did not acknowledge it
     */
    public RecordMetadata publish(final StudentCheckpoint checkpoint) {
        return publish(checkpoint, null, List.of(), List.of());
    }

    /**
     * @param controlVersion the value of a {@link LiveSettings#VERSION_HEADER} header, or null for none
     * @param events         drift events to publish in the same transaction: visible with the
     *                       checkpoint, or (aborted) not at all
     * @param deadLetters    late labels the trainer could not use, likewise: written once, with the
     *                       checkpoint that moves past them
     */
    public RecordMetadata publish(final StudentCheckpoint checkpoint, final byte[] controlVersion,
                                  final List<DriftEvent> events, final List<ProducerRecord<String, byte[]>> deadLetters) {
        try {
            producer.beginTransaction();
            for (final DriftEvent e : events) {
                producer.send(new ProducerRecord<>(driftEvents.name(), e.trainerId(),
                        driftEvents.valueSerde().serializer().serialize(driftEvents.name(), e)));
            }
            deadLetters.forEach(producer::send);
            final ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(),
                    checkpoint.trainerId(), topic.valueSerde().serializer().serialize(topic.name(), checkpoint));
            if (controlVersion != null) {
                record.headers().add(LiveSettings.VERSION_HEADER, controlVersion);
            }
            final Future<RecordMetadata> sent = producer.send(record);
            producer.commitTransaction();
            return sent.get();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new TrainerFencedException("another trainer with trainer.id '" + trainerId + "' started and "
                    + "took over its checkpoints; this one stops (two trainers with one id would publish competing "
                    + "lineages)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new CheckpointException("interrupted while publishing checkpoint v" + checkpoint.version(), e);
        } catch (ExecutionException e) {
            abort();
            throw new CheckpointException("checkpoint v" + checkpoint.version() + " was not written to "
                    + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (RuntimeException e) {
            abort();
            throw new CheckpointException("checkpoint v" + checkpoint.version() + " was not written to "
                    + topic.name() + ": " + e.getMessage(), e);
        }
    }

    /** Ends a failed checkpoint's transaction, so that the next one can begin. */
    private void abort() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            // the producer is in a fatal state or the broker is gone: the next publish reports it
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
