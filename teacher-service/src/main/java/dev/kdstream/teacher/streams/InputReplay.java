package dev.kdstream.teacher.streams;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads part of the teacher's input again: the records a task's previous owner consumed and
 * committed but had not annotated yet (see {@link SoftTargetAnnotator}). The input topic is the
 * annotator's log; nothing but a position is kept beside it.
 */
@FunctionalInterface
interface InputReplay {

    /**
     * The records of {@code partition} from offset {@code from} up to the offset {@code groupId}
     * has committed there, or up to {@code before} when that is lower, as a {@code read_committed}
     * consumer sees them; empty when nothing is committed past {@code from}.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the broker does not answer in
     *         time; a later call may succeed
     */
    List<ConsumerRecord<byte[], byte[]>> read(String groupId, TopicPartition partition, long from, long before);
}
