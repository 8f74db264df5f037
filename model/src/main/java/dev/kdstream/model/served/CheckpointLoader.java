package dev.kdstream.model.served;

import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.kafka.JsonSerde;
import dev.kdstream.contracts.kafka.RawGlobalStore;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.StudentCheckpoint;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.file.ModelFileException;
import dev.kdstream.model.file.StudentFile;

/**
 * The processor of the global checkpoint store: every replica sees every checkpoint, turns the
 * newest one of each trainer into a {@link ServedStudent} and swaps it into {@link CurrentModel},
 * which serves one of them and has the others for shadow predictions and a switch.
 * Newest means last on the topic (one partition, read committed: the order the trainer, fenced
 * against any twin, wrote them), not highest version: a reset trainer is followed, and a stray
 * checkpoint at a huge version is replaced by the next real one instead of pinning the server.
 *
 * <p>The store keeps the raw checkpoint bytes. A restore that fills it straight from the topic
 * bypasses this processor, so {@link #init} also serves what the store already holds (Kafka 4.3 with
 * this in-memory store replays the topic through {@link #process} instead; both paths end the same).
 * Values are decoded here rather than by a serde so that a corrupt checkpoint is logged and skipped
 * (the replica keeps serving the previous model) instead of stopping the global thread. A checkpoint
 * is refused, counted by reason in {@code kd_checkpoints_refused_total}, when its bytes are unsafe or
 * corrupt, its weights are not finite, or its layers are not those of the trainer's model loaded before.
 */
public final class CheckpointLoader implements Processor<String, byte[], Void, Void> {

    /** {@link dev.kdstream.contracts.metrics.MetricNames#REASON}s of a refused checkpoint. */
    public static final String UNSAFE_BYTES = "unsafe_bytes";
    public static final String CORRUPT = "corrupt";
    public static final String NON_FINITE = "non_finite";
    public static final String SHAPE = "shape";

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLoader.class);

    private final String storeName;
    private final CurrentModel current;
    private final Consumer<String> refused;
    private final Deserializer<StudentCheckpoint> json = JsonSerde.serdeFor(StudentCheckpoint.class).deserializer();
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    /**
     * Adds to {@code topology} a global store over the checkpoints topic ({@link RawGlobalStore}: a
     * corrupt checkpoint must not stop the global thread), with this loader keeping {@code model} at
     * the newest checkpoint of every trainer. The application's config takes {@link #streamsConfig} too.
     *
     * @param name names the store, its source and its processor
     */
    public static void addTo(final Topology topology, final String name, final String checkpointsTopic,
                             final CurrentModel model, final MeterRegistry registry) {
        RawGlobalStore.add(topology, name, checkpointsTopic, () -> new CheckpointLoader(name, model, reason -> Counter.builder(
                                MetricNames.CHECKPOINTS_REFUSED)
                        .description("checkpoints refused: unsafe or corrupt bytes, non-finite weights, another shape")
                        .tag(MetricNames.REASON, reason)
                        .register(registry)
                        .increment()));
    }

    /** What an application with this loader's global store needs in its Kafka Streams config. */
    public static void streamsConfig(final Properties p) {
        // checkpoints are transactions: a fenced trainer's aborted one must never be served
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                IsolationLevel.READ_COMMITTED.toString());
        // the loader handles its own errors; this is the Kafka 5.0 default, and silences a warning
        p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }

    /** @param refused told the reason of every checkpoint refused (one of the constants above) */
    public CheckpointLoader(final String storeName, final CurrentModel current, final Consumer<String> refused) {
        this.storeName = storeName;
        this.current = current;
        this.refused = refused;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        try (KeyValueIterator<String, byte[]> restored = store.all()) {
            while (restored.hasNext()) {
                final KeyValue<String, byte[]> kv = restored.next();
                load(kv.key, kv.value, "the restored store " + storeName);
            }
        }
        if (current.get() == null) {
            LOG.info("no checkpoint of trainer '{}' in the store yet: no student to serve or look at until one is "
                    + "loaded", current.roster().served());
        }
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("ignoring a checkpoint without a trainer id (key) from {}", origin());
            return;
        }
        // the store mirrors the topic whatever the value is, as a restore would fill it
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        if (record.value() == null) {
            LOG.warn("the checkpoint of trainer '{}' was deleted; still using its version {}", record.key(),
                    version(record.key()));
            return;
        }
        load(record.key(), record.value(), origin());
    }

    private long version(final String trainerId) {
        final ServedStudent s = current.roster().student(trainerId);
        return s == null ? 0 : s.version();
    }

    private void load(final String trainerId, final byte[] value, final String origin) {
        if (value == null) {
            return;
        }
        final StudentCheckpoint checkpoint;
        final ServedStudent model;
        try {
            checkpoint = json.deserialize(storeName, value);
            if (checkpoint.version() == version(trainerId)) {
                // the store's restore and the topic's replay both hand over the newest one
                LOG.debug("checkpoint version {} from {} is already served", checkpoint.version(), origin);
                return;
            }
            if (checkpoint.distilled() == null) {
                throw new IllegalArgumentException("checkpoint has no distilled student");
            }
            final StudentModel student = StudentFile.fromBytes(origin, checkpoint.distilled());
            // the record's version wins: it is the one the trainer increments and publishes
            model = ServedStudent.of(student.network(), student.manifest().scaler(), checkpoint.version(),
                    checkpoint.ensembleVersion() != null ? checkpoint.ensembleVersion()
                            : student.manifest().ensembleVersion());
        } catch (ModelFileException e) {
            refuse(trainerId, e.isRefused() ? UNSAFE_BYTES : CORRUPT, origin, e.getMessage(), e);
            return;
        } catch (RuntimeException e) {
            refuse(trainerId, CORRUPT, origin, e.getMessage(), e);
            return;
        }
        final ServedStudent loaded = current.roster().student(trainerId);
        if (!model.finite()) {
            refuse(trainerId, NON_FINITE, origin, "version " + model.version() + " has non-finite weights", null);
        } else if (loaded != null && !loaded.widths().equals(model.widths())) {
            refuse(trainerId, SHAPE, origin, "version " + model.version() + " has layer widths " + model.widths()
                    + ", its version " + loaded.version() + " " + loaded.widths(), null);
        } else {
            final ServedStudent before = current.offer(trainerId, model);
            if (before != null && model.version() < before.version()) {
                LOG.warn("the checkpoint version of trainer '{}' went down from {} to {} ({}): the trainer was reset or "
                        + "replaced; using the newest checkpoint on the topic", trainerId, before.version(),
                        model.version(), origin);
            }
            final boolean served = trainerId.equals(current.roster().served());
            LOG.info("{} student '{}' version {} ({}) from {}", served ? "serving" : "loaded", trainerId,
                    model.version(), model.widths(), origin);
        }
    }

    private void refuse(final String trainerId, final String reason, final String origin, final String why,
                        final Exception cause) {
        refused.accept(reason);
        LOG.warn("refusing the checkpoint of trainer '{}' from {} ({}): {}; still using its version {}", trainerId,
                origin, reason, why, version(trainerId));
        if (cause != null) {
            LOG.debug("the refused checkpoint's error", cause);
        }
    }

    private String origin() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse(storeName);
    }
}
