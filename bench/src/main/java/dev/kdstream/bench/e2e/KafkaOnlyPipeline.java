package dev.kdstream.bench.e2e;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.student.serving.ServingTopology;
import dev.kdstream.teacher.streams.TeacherTopology;

/**
 * The pipeline's Kafka traffic without its work: the same topology shape on the same broker, with
 * every record's bytes passed through untouched (no JSON, no models). What the broker, the
 * exactly-once transactions and the clients cost per event on this machine, the ceiling any
 * implementation of this topology could reach here.
 *
 * <ul>
 *   <li>"teacher": features -> soft-targets, with the teacher-service's Streams settings
 *       (exactly-once) and the annotator's changelogged position, written once per
 *       {@code teacher.batch.size} records;</li>
 *   <li>"server": features -> predictions, with the prediction server's Streams settings (its
 *       guarantee as configured);</li>
 *   <li>"trainer" and "reader": plain read_committed consumers of soft-targets and predictions,
 *       counting.</li>
 * </ul>
 */
final class KafkaOnlyPipeline implements AutoCloseable {

    private static final String STORE = "position";

    private final KafkaStreams teacher;
    private final KafkaStreams server;
    private final Counting trainer;
    private final Counting reader;

    KafkaOnlyPipeline(final KdConfig config) {
        this(config, "kd-bench-kafka-only-");
    }

    /** @param idPrefix of the two Streams applications' ids (and so of their groups and internal topics) */
    KafkaOnlyPipeline(final KdConfig config, final String idPrefix) {
        this.teacher = new KafkaStreams(teacherTopology(config), TeacherTopology.streamsConfig(config,
                idPrefix + "teacher"));
        this.server = new KafkaStreams(serverTopology(config), ServingTopology.streamsConfig(config,
                idPrefix + "server"));
        this.trainer = new Counting(config, config.topics().softTargets());
        this.reader = new Counting(config, config.topics().predictions());
        teacher.start();
        server.start();
    }

    /** Records seen by the slower of the two readers. */
    long delivered() {
        return Math.min(trainer.count.get(), reader.count.get());
    }

    boolean running() {
        return teacher.state().isRunningOrRebalancing() && server.state().isRunningOrRebalancing()
                && trainer.reader.alive() && reader.reader.alive();
    }

    private static Topology teacherTopology(final KdConfig config) {
        final Topology t = new Topology();
        t.addSource("features", new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().features());
        final int batchSize = config.getInt(ConfigKey.TEACHER_BATCH_SIZE);
        t.addProcessor("annotate", () -> new PositionThrough(batchSize), "features");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                Serdes.Long()).withCachingDisabled().withLoggingEnabled(TeacherTopology.POSITION_CHANGELOG_CONFIG),
                "annotate");
        t.addSink("soft-targets", config.topics().softTargets(), new ByteArraySerializer(), new ByteArraySerializer(),
                "annotate");
        return t;
    }

    private static Topology serverTopology(final KdConfig config) {
        final Topology t = new Topology();
        t.addSource("features", new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().features());
        t.addSink("predictions", config.topics().predictions(), new ByteArraySerializer(), new ByteArraySerializer(),
                "features");
        return t;
    }

    /** Forward, and write a position per batch: the store traffic of the teacher's annotator. */
    private static final class PositionThrough implements Processor<byte[], byte[], byte[], byte[]> {

        private final int batchSize;
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<String, Long> store;
        private long records;

        PositionThrough(final int batchSize) {
            this.batchSize = batchSize;
        }

        @Override
        public void init(final ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            context.forward(record);
            if (++records % batchSize == 0) {
                store.put("position", records);
            }
        }
    }

    /** A read_committed reader of a topic from the beginning, counting its records. */
    private static final class Counting implements AutoCloseable {

        final AtomicLong count = new AtomicLong();
        final TopicReader reader;

        Counting(final KdConfig config, final String topic) {
            this.reader = new TopicReader(config, topic, "kd-bench-kafka-only-" + topic,
                    records -> count.addAndGet(records.count()));
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    @Override
    public void close() {
        reader.close();
        trainer.close();
        server.close(Duration.ofSeconds(30));
        teacher.close(Duration.ofSeconds(30));
    }
}
