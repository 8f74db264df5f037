package dev.kdstream.launcher.bench.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import dev.kdstream.common.config.ConfigKey;
import dev.kdstream.common.config.KdConfig;

/**
 * The pipeline's Kafka traffic without its work: the same topology shape on the same broker, with
 * every record's bytes passed through untouched (no JSON, no models). What the broker, the
 * exactly-once transactions and the clients cost per event on this machine, the ceiling any
 * implementation of this topology could reach here.
 *
 * <ul>
 *   <li>"teacher": features -> soft-targets, exactly-once, each record put into a changelogged
 *       in-memory store and deleted again (the teacher's batch buffer: a changelog put and a
 *       tombstone per record);</li>
 *   <li>"server": features -> predictions, exactly-once;</li>
 *   <li>"trainer" and "reader": plain read_committed consumers of soft-targets and predictions,
 *       counting.</li>
 * </ul>
 */
final class KafkaOnlyPipeline implements AutoCloseable {

    private static final String STORE = "buffer";

    private final KafkaStreams teacher;
    private final KafkaStreams server;
    private final Counting trainer;
    private final Counting reader;

    KafkaOnlyPipeline(final KdConfig config) {
        this.teacher = new KafkaStreams(teacherTopology(config), streamsConfig(config, "kd-bench-kafka-only-teacher"));
        this.server = new KafkaStreams(serverTopology(config), streamsConfig(config, "kd-bench-kafka-only-server"));
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
                && trainer.failure == null && reader.failure == null;
    }

    private static Properties streamsConfig(final KdConfig config, final String applicationId) {
        final Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.get(ConfigKey.STATE_DIR));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.getInt(ConfigKey.TOPIC_REPLICATION_FACTOR));
        return p;
    }

    private static Topology teacherTopology(final KdConfig config) {
        final Topology t = new Topology();
        t.addSource("features", new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().features());
        t.addProcessor("buffer", BufferThrough::new, "features");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.Long(),
                Serdes.ByteArray()).withCachingDisabled(), "buffer");
        t.addSink("soft-targets", config.topics().softTargets(), new ByteArraySerializer(), new ByteArraySerializer(),
                "buffer");
        return t;
    }

    private static Topology serverTopology(final KdConfig config) {
        final Topology t = new Topology();
        t.addSource("features", new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().features());
        t.addSink("predictions", config.topics().predictions(), new ByteArraySerializer(), new ByteArraySerializer(),
                "features");
        return t;
    }

    /** Put, forward, delete: the store traffic of the teacher's buffer, one record at a time. */
    private static final class BufferThrough implements Processor<byte[], byte[], byte[], byte[]> {

        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<Long, byte[]> store;
        private long next;

        @Override
        public void init(final ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            final long key = next++;
            store.put(key, record.value());
            context.forward(record);
            store.delete(key);
        }
    }

    /** A read_committed consumer of every partition of a topic, from the beginning, counting. */
    private static final class Counting implements Runnable {

        final AtomicLong count = new AtomicLong();
        final KafkaConsumer<byte[], byte[]> consumer;
        final Thread thread;
        volatile boolean stop;
        volatile RuntimeException failure;

        Counting(final KdConfig config, final String topic) {
            final Properties p = config.kafkaProperties();
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kd-bench-kafka-only-" + topic);
            this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            this.thread = new Thread(this, "kd-bench-kafka-only-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    count.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        void close() {
            stop = true;
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
