package dev.kdstream.teacher.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.kdstream.common.data.Standardizer;
import dev.kdstream.common.math.Probabilities;
import dev.kdstream.common.model.EnsembleManifest;
import dev.kdstream.common.model.FusedEnsembleForward;
import dev.kdstream.common.model.LogitRows;
import dev.kdstream.common.model.TeacherEnsemble;
import dev.kdstream.common.records.FeatureRecord;
import dev.kdstream.common.records.ParsedFeature;
import dev.kdstream.common.records.SoftTargetRecord;

/**
 * Annotates valid feature records with the ensemble's soft targets in micro-batches: one fused
 * ensemble inference per batch, never one per record. The fixed cost per call dominates for nets
 * this small: DL4J's ensemble takes 2-4 ms for one record and about 10 ms for 256 (FINDINGS.md).
 * Inference runs on {@link FusedEnsembleForward}, the ensemble's weights on raw ND4J GEMMs into
 * preallocated buffers: the same logits as {@link TeacherEnsemble#logits}, about twice as fast
 * (docs/benchmarks.md, {@code ./kd bench teacher}).
 *
 * <h2>The buffer is a state store, not a list</h2>
 * A record waiting for its batch has been consumed: once the stream thread commits, its input
 * offset is committed and it is never read again. A Java list would lose it in a crash. So the
 * buffer is a changelogged key-value store, keyed by the record's input offset. A task reads one
 * partition of one topic, so offsets are unique within a task's store, and big-endian longs sort
 * in offset order, so a batch keeps arrival order.
 * <ul>
 *   <li>{@link #process}: {@code put(offset, record)}; when the store holds a full batch, flush.</li>
 *   <li>every linger interval of wall-clock time: flush whatever the store holds.</li>
 *   <li>flush: read the store in offset order, run the ensemble once per batch, forward each soft
 *       target and {@code delete} its key.</li>
 * </ul>
 *
 * <h2>Why no record is lost or duplicated</h2>
 * Under {@code exactly_once_v2} the output records of a stream thread, the changelog writes of its
 * stores and its input offset commits go to Kafka in one transaction. After any crash, each input
 * record is therefore in exactly one of three situations:
 * <ol>
 *   <li>It was processed in no committed transaction: its offset is not committed, so it is read
 *       and buffered again; its aborted {@code put} is never restored.</li>
 *   <li>Its buffering was committed but its flush was not: the committed changelog holds the
 *       {@code put} without the {@code delete}, so the task's next owner (this instance after a
 *       restart, or another one after a rebalance) restores it into the store and annotates it on
 *       its first punctuation. The soft target of the crashed flush was aborted: read_committed
 *       consumers never see it.</li>
 *   <li>Its flush was committed: the soft target is published and the changelog holds the
 *       tombstone, so it is neither restored nor read again.</li>
 * </ol>
 * A {@code put} and its {@code delete} in the same transaction are case 1 or 3. One limit: the
 * changelog drops tombstones after {@code delete.retention.ms} (5 minutes, see
 * {@link TeacherApp#BUFFER_CHANGELOG_CONFIG}), so a restore that took longer than that could miss
 * a delete and annotate that record a second time; a restore reads minutes of records, in seconds.
 *
 * <p>What follows for the code. Nothing but the store holds records: the only other state is a
 * count of the store's entries, recomputed from the store in {@link #init}, which Kafka Streams
 * calls after restoration (also when it revives a corrupted task), so the count cannot drift from
 * the store; and the features' text of records read by this instance, a shortcut for printing
 * them that a restored record does without. {@link #close} does not flush: it runs after the
 * task's last commit (the task is being suspended for a rebalance or closed for shutdown), so soft
 * targets and deletes written there would belong to no commit of this task and could race its
 * next owner; the changelog already carries what is left to that owner. A soft target carries its
 * input's Kafka timestamp (kept in the store with the record) and no headers, since a restored
 * record has none to give.
 * Consumers of {@code soft-targets} must read with {@code isolation.level=read_committed}: aborted
 * flushes stay in the log.
 *
 * <p>One ensemble and one {@link FusedEnsembleForward} per processor, so per task: neither is
 * thread-safe, and a task runs on one stream thread at a time.
 */
final class SoftTargetAnnotator implements Processor<String, ParsedFeature, String, OutgoingSoftTarget> {

    /** Rows the forward pass's buffers hold: ~22 MB per task for the default ensemble. */
    static final int MAX_FORWARD_BATCH = 1024;

    private final String storeName;
    private final int batchSize;
    private final Duration linger;
    private final EnsembleManifest manifest;
    private final Supplier<TeacherEnsemble> ensembles;
    private final TeacherMetrics metrics;

    private ProcessorContext<String, OutgoingSoftTarget> context;
    private KeyValueStore<Long, BufferedFeature> buffer;
    /**
     * The features' text of buffered records, by input offset, for the soft targets to copy (see
     * {@link ParsedFeature}). Only a shortcut: a record restored from the changelog has none and
     * its features are printed, so this map is kept out of the store and its changelog.
     */
    private final Map<Long, String> featuresJson = new HashMap<>();
    private TeacherEnsemble ensemble;
    /** This task's forward pass, built from {@link #ensemble}'s weights; not thread-safe. */
    private FusedEnsembleForward forward;
    /** Entries in {@link #buffer}; a mirror of the store, never the other way round. */
    private int buffered;

    /**
     * @param manifest  the ensemble every task must use (its version is stamped on the output)
     * @param ensembles makes this processor's own ensemble, a copy of the one {@code manifest} describes
     */
    SoftTargetAnnotator(final String storeName, final int batchSize, final Duration linger,
                        final EnsembleManifest manifest, final Supplier<TeacherEnsemble> ensembles,
                        final TeacherMetrics metrics) {
        this.storeName = storeName;
        this.batchSize = batchSize;
        this.linger = linger;
        this.manifest = manifest;
        this.ensembles = ensembles;
        this.metrics = metrics;
    }

    @Override
    public void init(final ProcessorContext<String, OutgoingSoftTarget> context) {
        this.context = context;
        this.buffer = context.getStateStore(storeName);
        featuresJson.clear();
        if (ensemble == null) {
            ensemble = ensembles.get();
            if (!ensemble.manifest().versionId().equals(manifest.versionId())) {
                throw new IllegalStateException("the ensemble supplier made " + ensemble.manifest().versionId()
                        + " but the topology was built for " + manifest.versionId());
            }
            // buffers for a full batch (capped: a larger batch is run in chunks of the cap)
            forward = FusedEnsembleForward.of(ensemble, Math.min(batchSize, MAX_FORWARD_BATCH));
        }
        // after restoration: whatever a previous owner buffered and did not flush is here
        buffered = countEntries();
        context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (buffered > 0) {
                flush();
            }
        });
    }

    @Override
    public void process(final Record<String, ParsedFeature> record) {
        final long offset = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("no source offset for a record being processed"))
                .offset();
        buffer.put(offset, new BufferedFeature(record.value().record(), record.timestamp()));
        if (record.value().featuresJson() != null) {
            featuresJson.put(offset, record.value().featuresJson());
        }
        buffered++;
        if (buffered >= batchSize) {
            flush();
        }
    }

    /** Annotates everything in the store, oldest first, in batches of at most {@code batchSize}. */
    private void flush() {
        List<KeyValue<Long, BufferedFeature>> batch = nextBatch();
        while (!batch.isEmpty()) {
            annotate(batch);
            buffered -= batch.size();
            batch = batch.size() < batchSize ? List.of() : nextBatch();
        }
        // the store is empty now, whatever the count said
        buffered = 0;
    }

    private List<KeyValue<Long, BufferedFeature>> nextBatch() {
        final List<KeyValue<Long, BufferedFeature>> batch = new ArrayList<>(Math.min(batchSize, buffered));
        try (KeyValueIterator<Long, BufferedFeature> it = buffer.all()) {
            while (it.hasNext() && batch.size() < batchSize) {
                batch.add(it.next());
            }
        }
        return batch;
    }

    private void annotate(final List<KeyValue<Long, BufferedFeature>> batch) {
        final long start = System.nanoTime();
        final Standardizer scaler = manifest.scaler();
        final float[][] scaled = new float[batch.size()][];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = scaler.transform(batch.get(i).value.feature().features());
        }
        // a view of the forward pass's buffer: read here, before its next call
        final INDArray logits = forward.logits(Nd4j.createFromArray(scaled));
        // one bulk copy, then softmax(z / T) per row in Java: INDArray.toDoubleMatrix() copies
        // element by element and was a fifth of the teacher thread's time (JFR, ./kd bench e2e)
        final double[][] teacherLogits = LogitRows.of(logits, scaled.length, manifest.numClasses());
        final double[][] softTargets = new double[scaled.length][];
        for (int i = 0; i < scaled.length; i++) {
            softTargets[i] = Probabilities.softmax(teacherLogits[i], manifest.temperature());
        }
        metrics.batch(batch.size(), System.nanoTime() - start);

        for (int i = 0; i < scaled.length; i++) {
            final BufferedFeature waiting = batch.get(i).value;
            final FeatureRecord feature = waiting.feature();
            final SoftTargetRecord softTarget = SoftTargetRecord.of(feature, teacherLogits[i], softTargets[i],
                    manifest.temperature(), manifest.versionId());
            context.forward(new Record<>(feature.id(), new OutgoingSoftTarget(softTarget,
                    featuresJson.remove(batch.get(i).key)), waiting.timestamp(), new RecordHeaders()));
            // put(key, null) deletes without reading the old value back (delete() deserialises it)
            buffer.put(batch.get(i).key, null);
        }
        metrics.annotated(batch.size());
    }

    private int countEntries() {
        int n = 0;
        try (KeyValueIterator<Long, BufferedFeature> it = buffer.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
