package dev.kdstream.teacher.streams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.records.FeatureParser;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.InvalidRecordException;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.model.served.CurrentModel;
import dev.kdstream.model.served.ServedStudent;
import dev.kdstream.teacher.budget.Decision;
import dev.kdstream.teacher.budget.LiveBudget;
import dev.kdstream.teacher.drift.DriftAlarm;
import dev.kdstream.teacher.refresh.EnsembleRefresher;
import dev.kdstream.teacher.refresh.Lesson;
import dev.kdstream.teacher.budget.Sampler;
import dev.kdstream.teacher.budget.TeacherBudget;
import dev.kdstream.teacher.inference.EnsembleForward;
import dev.kdstream.teacher.inference.LogitRows;

/**
 * Annotates valid feature records with the ensemble's soft targets in micro-batches: one fused
 * ensemble inference per batch, never one per record. The fixed cost per call dominates for nets
 * this small (docs/platform.md, "DL4J fixed cost per call"). Inference runs on
 * {@link EnsembleForward}, the ensemble's weights on OpenBLAS GEMMs into preallocated buffers: the
 * same logits as {@link TeacherEnsemble#logits}, faster (docs/benchmarks.md, {@code ./kd bench teacher}).
 *
 * <h2>The teacher budget</h2>
 * Each valid record is decided as it is read ({@link TeacherBudget}, a {@link Sampler} per task):
 * a holdout record is always annotated; a training record the sampler chooses is annotated; a
 * labelled one it does not choose is passed on without teacher output ({@link Selection#LABEL_ONLY}:
 * it trains both students on its label); an unlabelled one it does not choose is left out, nothing
 * written. A batch fills with records to annotate only; the records passed on wait in the buffer
 * and go out in their offset order with it. The uncertainty and adaptive samplers look at the
 * student being served, followed through the checkpoints as the server follows them. Decisions
 * are written only by a flush, like the soft targets, so what follows holds for them: a record read
 * again is decided again, and exactly one decision per record ever commits.
 *
 * <h2>The buffer is in memory; the input topic is its log</h2>
 * A record waiting for its batch has been consumed: once the stream thread commits, its input
 * offset is committed and Kafka Streams never reads it again. So beside the in-memory buffer the
 * annotator keeps one number per task in a changelogged store, its <em>position</em>: every valid
 * record of its input partition before that offset has been annotated. A task's next owner reads
 * the records from the position up to the committed input offset again, from the input topic
 * itself ({@link InputReplay}), and annotates them first.
 * <ul>
 *   <li>a task's first punctuation, soon after it starts with a position: read again what the
 *       previous owner consumed and did not annotate, to the front of the buffer (see below for
 *       why not in {@link #init}).</li>
 *   <li>{@link #process}: decide the record, and append it to the buffer unless it is left out;
 *       when the buffer holds a full batch of records to annotate, flush (not before the records
 *       to read again are in the buffer). The first record a task ever sees sets the position to
 *       its own offset. The validator passes on the offsets of the records it dead-letters too (as
 *       null values), which only count as processed, as left-out records do.</li>
 *   <li>every linger interval of wall-clock time (once the records to read again are in the
 *       buffer): flush whatever the buffer holds; with an empty buffer, move the position past the
 *       dead-lettered and left-out records since the last move, so that a long run of them is
 *       never read again in one go.</li>
 *   <li>flush: run the ensemble once per batch of records to annotate, oldest first, forward each
 *       soft target and each label-only record in offset order, then move the position past the
 *       last record processed.</li>
 * </ul>
 * A changelog record per flush (and three for a task's first record, with the input topic's id:
 * see {@link StoredPosition}; and one a linger past dead letters or left-out records), not two per record (a put and a
 * tombstone, as keeping the records themselves in a changelogged store would take): those would
 * cost the stream thread, the broker's request handlers and its log cleaner a sixth of the
 * pipeline's CPU (docs/history/benchmarks-2026-11.md, "The input topic as the buffer's log").
 *
 * <h2>Why no record is lost or duplicated</h2>
 * Under {@code exactly_once_v2} the output records of a stream thread, the changelog writes of its
 * stores and its input offset commits go to Kafka in one transaction. At every commit, the valid
 * records before the committed position are annotated in committed transactions, and those from
 * the position up to the committed input offset are annotated in none (the position only moves
 * past records annotated or dead-lettered in the same transaction or an earlier one, and not at
 * all before the records to read again are in the buffer). After any crash, each input record is
 * therefore in exactly one of three situations:
 * <ol>
 *   <li>It was processed in no committed transaction: its offset is not committed, so Kafka
 *       Streams reads it again.</li>
 *   <li>Its offset was committed but not its annotation: it lies between the restored position
 *       and the committed offset, so the next owner reads it again (a {@code read_committed}
 *       consumer sees what the stream thread saw) and annotates it. The soft target of a crashed
 *       flush was aborted: read_committed consumers never see it.</li>
 *   <li>Its annotation was committed: the position is past it, so it is not read again.</li>
 * </ol>
 * The next owner reads again from its restored position up to the committed offset as its first
 * punctuation finds it, but never past the first record it processed itself: between its start
 * and that punctuation it may already have buffered new records and committed their offsets (its
 * position does not move meanwhile), and those are in its buffer, not to be read twice. Should it
 * crash before that punctuation, its commits only moved the committed offset past records it had
 * not annotated: its own next owner reads them again with the rest.
 *
 * <p>Records read again are parsed again; those invalid now were dead-lettered when first read
 * (unless the teacher's input settings changed since: the log line counts them). What the input
 * topic's retention has deleted cannot be read again: a teacher down for longer than that loses
 * its unannotated records with the rest of the input it never read. A position stored for a
 * {@code features} topic since deleted and re-created refers to offsets of records that are gone:
 * it is ignored, with an error line and a count ({@link StoredPosition}). Re-created while a task
 * reads it, the topic shows as offsets going back: said and counted the same way, and the new
 * position is stored naming no topic, so that the next start trusts it.
 *
 * <p>What follows for the code. {@link #init} (Kafka Streams calls it after restoring the store,
 * also when it revives a corrupted task) starts from an empty buffer and the restored position,
 * and does not read the input again itself: Kafka Streams stops the whole client on any exception
 * from a processor's init, while a {@link org.apache.kafka.common.errors.TimeoutException} from a
 * punctuation under exactly-once makes it close the task dirty (its transaction aborted) and
 * revive it, so a broker restarting meanwhile delays the reading, never stops the teacher
 * (docs/platform.md, "Kafka Streams: exceptions from init, process and punctuate").
 * {@link #close} does not flush: it runs after the task's last commit (the task is being suspended
 * for a rebalance or closed for shutdown), so soft targets written there would belong to no commit
 * of this task and could race its next owner, which reads the records again anyway. A soft target
 * carries its input's Kafka timestamp, and the control version its decision was made under
 * ({@link LiveSettings#VERSION_HEADER}) when the control topic set one. Consumers of {@code soft-targets} must read
 * with {@code isolation.level=read_committed}: aborted flushes stay in the log.
 *
 * <p>One {@link EnsembleForward} per processor, so per task: it is not thread-safe, and a task
 * runs on one stream thread at a time. The tasks share the loaded ensemble: the forward copies its
 * weights when built and never runs its networks.
 */
final class SoftTargetAnnotator implements Processor<String, FeatureRecord, String, SoftTargetRecord> {

    /** Rows the forward pass's buffers hold: ~22 MB per task for the default ensemble. */
    static final int MAX_FORWARD_BATCH = 1024;
    /** The position store's key for the position: each task has a store of its own. */
    static final String POSITION = "annotated-before";
    /**
     * How soon after a task starts it reads its unannotated input again: at its first punctuation,
     * before the first linger one.
     */
    static final Duration REPLAY_DELAY = Duration.ofMillis(1);

    private static final Logger LOG = LoggerFactory.getLogger(SoftTargetAnnotator.class);

    private final String inputTopic;
    private final String positionStoreName;
    private final int batchSize;
    private final Duration linger;
    private final Duration maxWait;
    /** Wall-clock time the oldest record in the buffer entered it; meaningless while it is empty. */
    private long bufferSince;
    /** The ensemble to annotate with, refreshed after a drift; taken at each batch. */
    private final EnsembleRefresher ensembles;
    private EnsembleManifest manifest;
    private TeacherEnsemble ensemble;
    private final FeatureParser parser;
    private final InputReplay replay;
    private final Uuid inputTopicId;
    private final TeacherMetrics metrics;
    /** The budget in force, as the control topic last set it (or the configuration). */
    private final Supplier<LiveBudget> live;
    /** The budget this task's sampler was made for. */
    private LiveBudget budget;
    /** Whether that budget's sampler looks at the served student. */
    private boolean needsStudent;
    /** Its control version as a header value, null for the teacher's own configuration. */
    private byte[] versionHeader;
    private final CurrentModel student;
    /** This task's sampler: its state (a threshold's history, a moving budget) is per task. */
    private Sampler sampler;
    /** Records in the buffer to annotate (the rest are label-only ones waiting for their turn). */
    private int toAnnotate;
    /** Records left out since the position last moved: the next move counts them. */
    private long leftOutSinceMove;
    /** Whether labels may come later on {@code labels}: then nothing is left out, the unchosen pass on unannotated. */
    private final boolean lateLabels;
    /** The drifts the trainers report: after each, {@link LiveBudget#driftBoost()} records annotated in full. */
    private final DriftAlarm alarm;
    private long detectionsSeen;
    private long boostLeft;
    /** The Kafka timestamp of the newest record read, left out or not. */
    private long newestTimestamp;
    /** The student last found unfit for the ensemble's input, so that it is reported once. */
    private ServedStudent unfitStudent;

    private ProcessorContext<String, SoftTargetRecord> context;
    private KeyValueStore<String, Long> positionStore;
    /** The position as last written, -1 before this task's first record ever. */
    private long position;
    /** One past the last input offset this task has processed, valid or dead-lettered. */
    private long processedUpTo;
    /** Valid records read and not yet written (to annotate, or to pass on), in offset order. */
    private final List<BufferedFeature> buffer = new ArrayList<>();
    /** This task's forward pass, a copy of {@link #ensemble}'s weights; not thread-safe. */
    private EnsembleForward forward;
    /** The punctuation that reads the previous owner's unannotated input again; null once it has run, or for none. */
    private Cancellable pendingReplay;
    /** The first input offset this task processed since it started, -1 before one. */
    private long firstProcessed;
    /**
     * Whether the next position write must name {@link #inputTopicId} as its topic: not when the
     * store names it already, nor once this task saw the topic re-created under it (this
     * teacher's id is the old topic's then).
     */
    private boolean topicIdToWrite;

    /**
     * @param inputTopic   the topic a task's partition number refers to, read again through {@code replay}
     * @param inputTopicId that topic's id, as this teacher found it when it started (see {@link StoredPosition})
     * @param ensemble     shared by every task, only read: its version is stamped on the output
     * @param parser       the validator's parser, for records read again
     * @param live         which training records to annotate, changed by the control topic
     * @param student      the served student, which the sampler may look at
     */
    SoftTargetAnnotator(final String inputTopic, final Uuid inputTopicId, final String positionStoreName,
                        final int batchSize, final Duration linger, final Duration maxWait,
                        final EnsembleRefresher ensembles,
                        final FeatureParser parser, final InputReplay replay, final TeacherMetrics metrics,
                        final Supplier<LiveBudget> live, final CurrentModel student, final boolean lateLabels,
                        final DriftAlarm alarm) {
        this.inputTopic = inputTopic;
        this.alarm = alarm;
        // a task made after a detection (a rebalance, a restart of its thread) spends no boost for it
        this.detectionsSeen = alarm.detections();
        this.lateLabels = lateLabels;
        this.positionStoreName = positionStoreName;
        this.batchSize = batchSize;
        this.linger = linger;
        this.maxWait = maxWait;
        this.ensembles = ensembles;
        this.ensemble = ensembles.current();
        this.manifest = ensemble.manifest();
        this.parser = parser;
        this.replay = replay;
        this.inputTopicId = inputTopicId;
        this.metrics = metrics;
        this.live = live;
        this.student = student;
    }

    @Override
    public void init(final ProcessorContext<String, SoftTargetRecord> context) {
        this.context = context;
        this.positionStore = context.getStateStore(positionStoreName);
        buffer.clear();
        toAnnotate = 0;
        leftOutSinceMove = 0;
        firstProcessed = -1;
        // a new task start, a new sampler: nothing of it is stored, a threshold relearns in ~256 records
        budget = null;
        take(live.get());
        if (forward == null || ensemble != ensembles.current()) {
            ensemble = ensembles.current();
            manifest = ensemble.manifest();
            // buffers for a full batch (capped: a larger batch is run in chunks of the cap)
            forward = EnsembleForward.of(ensemble, Math.min(batchSize, MAX_FORWARD_BATCH));
        }
        final TopicPartition input = new TopicPartition(inputTopic, context.taskId().partition());
        final StoredPosition stored = StoredPosition.read(positionStore, inputTopicId);
        if (stored.inputRecreated()) {
            metrics.inputRecreated();
            LOG.error("{}: the topic was deleted and re-created since this task's position was stored (topic id {}, "
                    + "now {}): the old position is ignored, the new topic is annotated from where the group reads "
                    + "it, nothing is read again; counted in {}", input, StoredPosition.topicId(positionStore),
                    inputTopicId, MetricNames.TEACHER_INPUT_RECREATED);
        }
        topicIdToWrite = !stored.topicIdStored();
        position = stored.position();
        processedUpTo = position;
        final long from = position;
        // not here: an exception from init stops the client, one from a punctuation is retried (see the class doc)
        pendingReplay = from < 0 ? null
                : context.schedule(REPLAY_DELAY, PunctuationType.WALL_CLOCK_TIME, now -> readAgain(input, from));
        context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (pendingReplay != null) {
                // nothing moves before what the previous owner left is in the buffer
                return;
            }
            if (!buffer.isEmpty()) {
                if (!behind(now) || now - bufferSince >= maxWait.toMillis()) {
                    flush();
                }
            } else if (processedUpTo > position) {
                // only dead-lettered or left-out records since the last flush: move past them, so
                // that a next owner does not read a long run of them again
                movePast(processedUpTo);
            }
        });
    }

    /**
     * What a previous owner of this task consumed and did not annotate, to the front of the
     * buffer: from the restored position up to the group's committed offset, and never past the
     * first record this task processed itself (a commit since the task started may have moved the
     * committed offset past records already in the buffer).
     */
    private void readAgain(final TopicPartition input, final long from) {
        final long before = firstProcessed < 0 ? Long.MAX_VALUE : firstProcessed;
        // a timeout here reaches Kafka Streams, which revives the task and so runs this again
        final List<ConsumerRecord<byte[], byte[]>> records = replay.read(context.applicationId(), input, from, before);
        final List<BufferedFeature> again = new ArrayList<>();
        int invalid = 0;
        for (final ConsumerRecord<byte[], byte[]> r : records) {
            processedUpTo = Math.max(processedUpTo, r.offset() + 1);
            try {
                final BufferedFeature b = select(r.offset(), parser.parse(r.value(), r.timestamp()), r.timestamp());
                if (b != null) {
                    again.add(b);
                    toAnnotate += b.toAnnotate() ? 1 : 0;
                }
            } catch (InvalidRecordException e) {
                invalid++;
            }
        }
        if (buffer.isEmpty()) {
            bufferSince = context.currentSystemTimeMs();
        }
        buffer.addAll(0, again);
        pendingReplay.cancel();
        pendingReplay = null;
        if (!records.isEmpty()) {
            // the invalid ones were dead-lettered when first read, unless the teacher's input width,
            // class count or max.record.bytes changed since (then a record valid then is invalid now)
            LOG.info("{}: read {} records from offset {} again, consumed but not annotated before: {} to pass on, "
                    + "{} invalid (dead-lettered when first read, unless the input settings changed)",
                    input, records.size(), from, again.size(), invalid);
        }
        if (toAnnotate >= batchSize) {
            flush();
        }
    }

    /**
     * A valid record to decide, or, with a null value, the offset of one the validator
     * dead-lettered: it only moves the position.
     */
    @Override
    public void process(final Record<String, FeatureRecord> record) {
        final long offset = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("no source offset for a record being processed"))
                .offset();
        if (firstProcessed < 0) {
            firstProcessed = offset;
        }
        if (offset < processedUpTo) {
            inputWentBack(offset);
        }
        if (position < 0) {
            // the task's first record ever: nothing before it is this task's to annotate
            movePosition(offset);
        }
        processedUpTo = offset + 1;
        if (record.value() == null) {
            return;
        }
        newestTimestamp = record.timestamp();
        final BufferedFeature selected = select(offset, record.value(), record.timestamp());
        if (selected == null) {
            // nothing to write: the next flush, or linger, moves the position past it
            return;
        }
        if (buffer.isEmpty()) {
            bufferSince = context.currentSystemTimeMs();
        }
        buffer.add(selected);
        toAnnotate += selected.toAnnotate() ? 1 : 0;
        if (toAnnotate >= batchSize && pendingReplay == null) {
            flush();
        }
    }

    /**
     * The budget's decision for a valid record ({@link Decision}): buffered to annotate or to pass
     * on, or, left out, null. Decided as it is read, written only by a flush: a record read again
     * after a crash is decided again, and only one decision ever commits (see the class doc).
     */
    private BufferedFeature select(final long offset, final FeatureRecord feature, final long timestamp) {
        final LiveBudget now = live.get();
        if (now != budget) {
            take(now);
        }
        if (feature.labelled() && !feature.holdout()) {
            ensembles.labelled(feature.features(), feature.label());
        }
        final long detections = alarm.detections();
        if (detections != detectionsSeen) {
            detectionsSeen = detections;
            boostLeft = budget.driftBoost();
        }
        // holdout records are annotated anyway: they spend none of it
        final boolean boosted = boostLeft > 0 && !budget.budget().everything() && !feature.holdout();
        if (boosted) {
            boostLeft--;
        }
        if (boosted) {
            metrics.boosted();
        }
        // a boost spends on every record, without the sampler (which would move, or count, the records it did not see)
        final Decision decided = boosted ? Decision.of(budget.budget().inFull(), sampler, feature, null)
                : Decision.of(budget.budget(), sampler, feature, needsStudent ? fitStudent() : null);
        final Decision decision = lateLabels ? decided.passedOn() : decided;
        if (decision.leftOut()) {
            // counted when the position moves past it, as the others are when written
            leftOutSinceMove++;
            return null;
        }
        return new BufferedFeature(offset, feature, timestamp, decision, versionHeader,
                budget.temperatureOr(manifest.temperature()));
    }

    /**
     * The budget in force from now on: a change through the control topic is taken at a record
     * boundary, with a new sampler; a new version of the same budget keeps the sampler, its history
     * and its moved budget.
     */
    private void take(final LiveBudget now) {
        if (budget == null || !now.budget().equals(budget.budget())) {
            sampler = now.budget().newSampler();
            metrics.budgetNow(sampler.budget());
        }
        budget = now;
        // a boost turned down (or off) live ends at the new size
        boostLeft = Math.min(boostLeft, now.driftBoost());
        needsStudent = now.budget().needsStudent();
        versionHeader = now.version() == LiveBudget.CONFIGURED ? null
                : Long.toString(now.version()).getBytes(StandardCharsets.UTF_8);
    }

    /** The served student, if it takes the ensemble's input and classes; null otherwise. */
    private ServedStudent fitStudent() {
        final ServedStudent served = student.get();
        if (served == null || served.inputWidth() == manifest.inputWidth()
                && served.numClasses() == manifest.numClasses()) {
            return served;
        }
        if (served != unfitStudent) {
            unfitStudent = served;
            LOG.warn("the served student (version {}) takes {} features and {} classes, the ensemble {} and {}: "
                    + "sampling without it", served.version(), served.inputWidth(), served.numClasses(),
                    manifest.inputWidth(), manifest.numClasses());
        }
        return null;
    }

    /**
     * Offsets only grow within a task: an earlier one means {@code features} was deleted and
     * re-created while this task read it (Kafka Streams does not always stop on a source topic
     * deleted under it), or the group's offsets were moved back. The position is then one of the
     * new topic's offsets, which this teacher's topic id (the old topic's) must not be stored with:
     * the store names no topic until the next start, which trusts the position then.
     */
    private void inputWentBack(final long offset) {
        metrics.inputRecreated();
        LOG.error("{}-{}: offset {} after offset {}: the topic was deleted and re-created (or the group's offsets "
                + "moved back) while this task read it; annotating from offset {} on, counted in {}", inputTopic,
                context.taskId().partition(), offset, processedUpTo - 1, offset, MetricNames.TEACHER_INPUT_RECREATED);
        if (pendingReplay == null && !buffer.isEmpty()) {
            // consumed already: annotated, not read again (the topic they came from is gone)
            flush();
        }
        positionStore.delete(StoredPosition.TOPIC_ID_HIGH);
        positionStore.delete(StoredPosition.TOPIC_ID_LOW);
        topicIdToWrite = false;
        movePast(offset);
    }

    /**
     * Whether the newest record read was written longer than a linger ago: the teacher is
     * working through a backlog (a start, a restart, a flood), more records wait behind it, and a
     * batch flushed at the linger would be small. Kafka Streams hands a slow (cold, freshly
     * started) thread only a few records between two punctuations, so flushing those each linger
     * ran the ensemble on batches of one or two records at a time, too slow to ever catch up
     * (docs/benchmarks.md, "As a user meets it"). Behind, the batch waits to fill up to
     * {@code maxWait}; caught up, it is flushed at the linger as before.
     */
    private boolean behind(final long now) {
        return now - newestTimestamp > linger.toMillis();
    }

    /**
     * Annotates the buffer's records to annotate, in batches of at most {@code batchSize}, and
     * writes every buffered record, oldest first.
     */
    private void flush() {
        takeCurrentEnsemble();
        final List<BufferedFeature> batch = new ArrayList<>(Math.min(batchSize, toAnnotate));
        final EnumMap<Selection, Integer> written = new EnumMap<>(Selection.class);
        int next = 0;
        for (int i = 0; i < buffer.size(); i++) {
            if (buffer.get(i).toAnnotate()) {
                batch.add(buffer.get(i));
            }
            if (batch.size() == batchSize || i == buffer.size() - 1) {
                // the label-only records among this batch's go out in their place
                final double[][] logits = batch.isEmpty() ? new double[0][] : annotate(batch);
                int annotated = 0;
                for (; next <= i; next++) {
                    final BufferedFeature b = buffer.get(next);
                    write(b, b.toAnnotate() ? logits[annotated++] : null);
                    written.merge(b.decision().selection(), 1, Integer::sum);
                }
                batch.clear();
            }
        }
        buffer.clear();
        toAnnotate = 0;
        metrics.written(written);
        metrics.budgetNow(sampler.budget());
        // everything processed is annotated, passed on, left out or dead-lettered now
        movePast(processedUpTo);
    }

    /**
     * A refreshed ensemble, if one was swapped in since the last batch: this batch and those after it
     * run it, and are stamped with its version. Between two batches, so nothing buffered is lost or
     * annotated twice.
     */
    private void takeCurrentEnsemble() {
        final TeacherEnsemble now = ensembles.current();
        if (now != ensemble) {
            LOG.info("task {}: annotating with ensemble {} from offset {} on (was {})", context.taskId(),
                    now.manifest().versionId(), buffer.isEmpty() ? position : buffer.get(0).offset(),
                    manifest.versionId());
            ensemble = now;
            manifest = now.manifest();
            forward = EnsembleForward.of(ensemble, Math.min(batchSize, MAX_FORWARD_BATCH));
        }
        // whichever task annotates with it first, even one created after the swap
        final Lesson lesson = ensembles.takeLesson(ensemble);
        if (lesson != null) {
            teach(lesson);
        }
    }

    /**
     * The refresh's lesson to the trainer, in this task's transaction, ahead of what this task writes
     * next (the lesson's records are keyed by their ids, so over every partition). A transaction that
     * aborts loses it: it is extra teaching, not records of the stream.
     */
    private void teach(final Lesson lesson) {
        for (final SoftTargetRecord r : lesson.records()) {
            context.forward(new Record<>(r.id(), r, r.ts()));
        }
        metrics.rehearsal(lesson.records().size());
        LOG.info("task {}: ensemble {} re-teaches the {} labelled records it learnt and was validated on",
                context.taskId(), lesson.version(), lesson.records().size());
    }

    /** Moves the position to {@code to}, past the records left out since the last move, which now count. */
    private void movePast(final long to) {
        metrics.leftOut(leftOutSinceMove);
        leftOutSinceMove = 0;
        movePosition(to);
    }

    private void movePosition(final long to) {
        positionStore.put(POSITION, to);
        position = to;
        if (topicIdToWrite) {
            // once per task start at most: a position means nothing without the topic it refers to
            StoredPosition.writeTopicId(positionStore, inputTopicId);
            topicIdToWrite = false;
        }
    }

    /** The ensemble's logits for {@code batch}, one row per record. */
    private double[][] annotate(final List<BufferedFeature> batch) {
        final long start = System.nanoTime();
        final Standardizer scaler = manifest.scaler();
        final float[][] scaled = new float[batch.size()][];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = scaler.transform(batch.get(i).feature().features());
        }
        // a view of the forward pass's buffer: read here, before its next call
        final INDArray logits = forward.logits(Nd4j.createFromArray(scaled));
        // one bulk copy, then softmax(z / T) per row in Java: INDArray.toDoubleMatrix() copies
        // element by element, one native call each
        final double[][] teacherLogits = LogitRows.of(logits, scaled.length, manifest.numClasses());
        metrics.batch(batch.size(), System.nanoTime() - start);
        return teacherLogits;
    }

    /** The record's soft target ({@code teacherLogits} null: a label-only record), to the output. */
    private void write(final BufferedFeature waiting, final double[] teacherLogits) {
        final SoftTargetRecord out = waiting.decision().output(waiting.feature(), teacherLogits, sampler,
                waiting.temperature(), manifest.versionId());
        final RecordHeaders headers = new RecordHeaders();
        if (waiting.controlVersion() != null) {
            headers.add(LiveSettings.VERSION_HEADER, waiting.controlVersion());
        }
        context.forward(new Record<>(out.id(), out, waiting.timestamp(), headers));
    }
}
