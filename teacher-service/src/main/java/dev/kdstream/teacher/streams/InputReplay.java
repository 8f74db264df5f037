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
     * has committed there, as a {@code read_committed} consumer sees them; empty when nothing is
     * committed past {@code from}.
     */
    List<ConsumerRecord<byte[], byte[]>> read(String groupId, TopicPartition partition, long from);
}
