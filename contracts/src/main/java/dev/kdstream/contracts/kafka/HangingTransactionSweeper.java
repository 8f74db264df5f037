package dev.kdstream.contracts.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.metrics.MetricNames;

/**
 * Finds and aborts hanging transactions on the partitions a Kafka Streams application writes, as
 * Kafka's {@code kafka-transactions.sh find-hanging} and {@code abort} do by hand.
 *
 * <p>A hanging transaction is open on a partition although its coordinator no longer lists the
 * partition in an ongoing transaction, so no marker will ever end it; it holds the partition's last
 * stable offset, and with it every read_committed reader, the application's own state restoration
 * and its offset fetches. Kafka 4.3's coordinator leaves one behind when a single-node cluster is
 * killed and restarted (docs/platform.md, "Hanging transactions after a broker SIGKILL"). Aborting
 * it loses nothing: what it held was never committed, and its input is read again from the last
 * committed offsets.
 *
 * <p>It aborts only what the coordinator itself decided to abort (a transaction that timed out
 * while the broker was down, the common case): then every other partition of the transaction got,
 * or will get, the same abort. A commit whose markers were dropped cannot be finished through the
 * Admin API, and aborting it would lose what its other partitions committed; such a transaction is
 * reported (an ERROR naming it), not touched. On the application's own output topics any producer's
 * transactions are considered; on its changelogs and on {@code __consumer_offsets} only those of its
 * own transactional ids.
 *
 * <p>On a secured cluster a service's principal may not describe its output's producers, nor write
 * the markers an abort takes (ClusterAction, the brokers' right): its sweeper stops at the first
 * refusal, and the administrator runs one instead ({@code ./kd secure sweep}, which
 * {@code ./kd broker --secure} and {@code ./kd stack --secure} run).
 */
public final class HangingTransactionSweeper implements AutoCloseable {

    /**
     * Between scans: longer than a transaction's markers take, short against a stalled partition.
     * An abort that races the coordinator's own marker is refused on the producer epoch, so a scan
     * that comes too soon costs a refused request, never a second marker.
     */
    public static final Duration INTERVAL = Duration.ofSeconds(5);

    private static final String CONSUMER_OFFSETS = "__consumer_offsets";
    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionSweeper.class);
    private static final Set<TransactionState> OPEN_STATES = Set.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    /** One transaction open on one partition, as the partition's leader describes it. */
    record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch, long startOffset,
                           int coordinatorEpoch) {
    }

    /** What the coordinator says about a producer id's transaction. */
    record CoordinatorView(String transactionalId, TransactionState state, int producerEpoch,
                           Set<TopicPartition> partitions) {
    }

    private final Admin admin;
    private final String applicationId;
    private final Set<String> outputTopics;
    private final Counter aborted;
    private final ScheduledExecutorService scheduler;
    private Set<OpenTransaction> openAtLastScan = Set.of();
    private final Set<String> reported = new HashSet<>();

    private HangingTransactionSweeper(final Properties clientProperties, final String applicationId,
                                      final Set<String> outputTopics, final MeterRegistry registry) {
        this.admin = Admin.create(clientProperties);
        this.applicationId = applicationId;
        this.outputTopics = Set.copyOf(outputTopics);
        this.aborted = Counter.builder(MetricNames.HANGING_TRANSACTIONS_ABORTED)
                .description("Hanging transactions found on this application's partitions and aborted")
                .register(registry);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "kd-hanging-transactions");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Scans every {@link #INTERVAL} until closed.
     *
     * @param outputTopics the topics the application writes in transactions
     */
    public static HangingTransactionSweeper start(final Properties clientProperties, final String applicationId,
                                                  final Set<String> outputTopics, final MeterRegistry registry) {
        final HangingTransactionSweeper sweeper = new HangingTransactionSweeper(clientProperties, applicationId,
                outputTopics, registry);
        sweeper.scheduler.scheduleWithFixedDelay(sweeper::scanQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return sweeper;
    }

    /** One that scans only when {@link #scan()} is called (tests). */
    static HangingTransactionSweeper unscheduled(final Properties clientProperties, final String applicationId,
                                                 final Set<String> outputTopics, final MeterRegistry registry) {
        return new HangingTransactionSweeper(clientProperties, applicationId, outputTopics, registry);
    }

    /**
     * The transactions to abort: open on a partition although their coordinator does not hold them
     * open there, the application's to abort, and ended by the coordinator with an abort
     * ({@link #decidedAbort}).
     *
     * @param open  described after {@code views}
     * @param views by producer id; a producer id the coordinators do not know is absent
     */
    static List<OpenTransaction> hanging(final Collection<OpenTransaction> open,
                                         final Map<Long, CoordinatorView> views, final String applicationId,
                                         final Set<String> outputTopics) {
        return open.stream().filter(o -> {
            final CoordinatorView view = views.get(o.producerId());
            if (view == null || held(o, view)) {
                return false;
            }
            final boolean ours = view.transactionalId().startsWith(applicationId + "-");
            if (!ours && !outputTopics.contains(o.partition().topic())) {
                return false;
            }
            // only an abort the coordinator decided: the transaction's other partitions got, or will
            // get, the same abort. A commit whose markers were dropped cannot be finished with the
            // Admin API, and aborting it here would lose what its other partitions committed.
            return decidedAbort(o, view);
        }).toList();
    }

    /**
     * The coordinator ended this very transaction with an abort: it shows {@code COMPLETE_ABORT} at
     * the epoch the abort used (one above the transaction's with transaction version 2, the same
     * with version 1). Once the producer has moved on, the outcome can no longer be read from it.
     */
    static boolean decidedAbort(final OpenTransaction o, final CoordinatorView view) {
        return view.state() == TransactionState.COMPLETE_ABORT
                && (view.producerEpoch() == o.producerEpoch() + 1 || view.producerEpoch() == o.producerEpoch());
    }

    /** One scan; what it aborted. */
    List<OpenTransaction> scan() throws Exception {
        final List<OpenTransaction> seen = openTransactions(partitions());
        final Map<Long, CoordinatorView> views = seen.isEmpty() ? Map.of() : views(seen);
        // described again after the coordinators were asked: see hanging()
        final List<OpenTransaction> open = seen.isEmpty() ? List.of()
                : openTransactions(seen.stream().map(OpenTransaction::partition).distinct().toList());
        final List<OpenTransaction> hanging = hanging(open, views, applicationId, outputTopics);
        reportUnresolvable(open, openAtLastScan, views, hanging);
        for (final OpenTransaction h : hanging) {
            try {
                admin.abortTransaction(new AbortTransactionSpec(h.partition(), h.producerId(),
                        (short) h.producerEpoch(), h.coordinatorEpoch())).all().get(30, TimeUnit.SECONDS);
                aborted.increment();
                LOG.warn("aborted a hanging transaction on {} (producer id {}, epoch {}, open since offset {}): its "
                        + "coordinator had ended it without a marker here; its records were never committed and "
                        + "are read again from the last committed offsets", h.partition(), h.producerId(),
                        h.producerEpoch(), h.startOffset());
            } catch (Exception e) {
                if (!stillOpen(h)) {
                    // its markers landed after all (the abort was refused on the epoch), or another
                    // instance aborted it first
                    LOG.info("a transaction on {} (producer id {}, epoch {}) that looked hanging ended meanwhile",
                            h.partition(), h.producerId(), h.producerEpoch());
                } else if (firstReport(h)) {
                    LOG.error("a hanging transaction on {} (producer id {}, epoch {}, open since offset {}) holds "
                            + "every read_committed reader of the partition and could not be aborted ({}): abort "
                            + "it with kafka-transactions.sh abort --topic {} --partition {} --start-offset {}",
                            h.partition(), h.producerId(), h.producerEpoch(), h.startOffset(), e.toString(),
                            h.partition().topic(), h.partition().partition(), h.startOffset());
                }
            }
        }
        final Set<OpenTransaction> stillOpen = new HashSet<>(open);
        hanging.forEach(stillOpen::remove);
        openAtLastScan = stillOpen;
        return hanging;
    }

    /**
     * Open at two scans, not held by its coordinator, and not one it decided to abort: a commit whose
     * markers were dropped, or one whose outcome can no longer be read. Said once, loudly.
     */
    private void reportUnresolvable(final List<OpenTransaction> open, final Set<OpenTransaction> openBefore,
                                    final Map<Long, CoordinatorView> views, final List<OpenTransaction> aborting) {
        for (final OpenTransaction o : open) {
            final CoordinatorView view = views.get(o.producerId());
            final boolean held = view != null && held(o, view);
            if (!held && openBefore.contains(o) && !aborting.contains(o) && firstReport(o)) {
                LOG.error("a transaction on {} (producer id {}, epoch {}, open since offset {}) has no marker and "
                        + "its coordinator has moved on ({}); it holds every read_committed reader of the partition. "
                        + "It is not aborted here: if its coordinator committed it, its other partitions hold "
                        + "committed records and an abort would lose these. Find its outcome and end it with "
                        + "kafka-transactions.sh (docs/platform.md, \"Hanging transactions after a broker SIGKILL\")",
                        o.partition(), o.producerId(), o.producerEpoch(), o.startOffset(),
                        view == null ? "unknown producer" : view.state() + " at epoch " + view.producerEpoch());
            }
        }
    }

    /** Its coordinator holds it open on its partition: its markers are still to come. */
    private static boolean held(final OpenTransaction o, final CoordinatorView view) {
        return OPEN_STATES.contains(view.state()) && view.partitions().contains(o.partition());
    }

    /** Whether {@code o} is yet to be reported: each stuck transaction is said once, loudly. */
    private boolean firstReport(final OpenTransaction o) {
        return reported.add(o.partition() + "/" + o.producerId() + "/" + o.producerEpoch());
    }

    private boolean stillOpen(final OpenTransaction h) {
        try {
            return openTransactions(List.of(h.partition())).contains(h);
        } catch (Exception e) {
            return true;
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (Exception e) {
            if (KafkaAccess.refused(e)) {
                // on a secured cluster a service may not describe other producers or write markers
                // (ClusterAction is the brokers' right): the cluster's operator sweeps instead, and
                // scanning on would only repeat the refusal (and the admin client's error log) forever
                scheduler.shutdown();
                LOG.warn("this service's principal may not look for hanging transactions ({}); it stops looking. "
                        + "On a secured cluster the administrator does ('./kd secure sweep'; './kd broker --secure' "
                        + "and './kd stack --secure' run one)",
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                return;
            }
            // a broker restart, a topic being created: the next scan tries again
            LOG.debug("hanging-transaction scan failed", e);
        }
    }

    private List<TopicPartition> partitions() throws Exception {
        final Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(30, TimeUnit.SECONDS);
        final Set<String> scanned = names.stream().filter(n -> outputTopics.contains(n)
                || n.equals(CONSUMER_OFFSETS)
                || n.startsWith(applicationId + "-") && n.endsWith("-changelog")).collect(Collectors.toSet());
        final Map<String, TopicDescription> described = admin.describeTopics(scanned,
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get(30, TimeUnit.SECONDS);
        for (final TopicDescription d : described.values()) {
            // describing a partition's producers takes Read on its topic: refused before asking,
            // rather than after the admin client has logged the refusal for every partition
            if (d.authorizedOperations() != null && !d.authorizedOperations().contains(AclOperation.READ)
                    && !d.authorizedOperations().contains(AclOperation.ALL)) {
                throw new TopicAuthorizationException("no Read on topic " + d.name(), Set.of(d.name()));
            }
        }
        return described.values().stream().flatMap(d -> d.partitions().stream()
                .map(p -> new TopicPartition(d.name(), p.partition()))).toList();
    }

    private List<OpenTransaction> openTransactions(final List<TopicPartition> partitions) throws Exception {
        return admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .flatMap(e -> e.getValue().activeProducers().stream()
                        .filter(p -> p.currentTransactionStartOffset().isPresent())
                        .map(p -> open(e.getKey(), p)))
                .toList();
    }

    private static OpenTransaction open(final TopicPartition partition, final ProducerState p) {
        return new OpenTransaction(partition, p.producerId(), p.producerEpoch(),
                p.currentTransactionStartOffset().getAsLong(), p.coordinatorEpoch().orElse(-1));
    }

    private Map<Long, CoordinatorView> views(final List<OpenTransaction> open) throws Exception {
        final Set<Long> producerIds = open.stream().map(OpenTransaction::producerId).collect(Collectors.toSet());
        final Collection<TransactionListing> listings = admin.listTransactions(
                new ListTransactionsOptions().filterProducerIds(producerIds)).all().get(30, TimeUnit.SECONDS);
        if (listings.isEmpty()) {
            return Map.of();
        }
        final Map<String, TransactionDescription> described = admin.describeTransactions(listings.stream()
                .map(TransactionListing::transactionalId).toList()).all().get(30, TimeUnit.SECONDS);
        final Map<Long, CoordinatorView> views = new HashMap<>();
        described.forEach((id, d) -> views.put(d.producerId(), new CoordinatorView(id, d.state(),
                d.producerEpoch(), d.topicPartitions())));
        return views;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
