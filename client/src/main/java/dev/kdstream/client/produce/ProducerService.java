package dev.kdstream.client.produce;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Producer;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.metrics.ServiceMetrics;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Streams feature records into the {@code features} topic on a background thread, at a target
 * rate or as fast as the broker takes them. {@link #start} returns at once; the caller watches
 * {@link #progress()}, waits with {@link #awaitCompletion()}, or stops early with {@link #close()}.
 *
 * <p>The first failed send stops the run: the producer has already retried it for
 * {@code delivery.timeout.ms}, so something is wrong (topic missing, broker gone) and sending more
 * would only pile up failures. Records still in flight are waited for and counted.
 */
public final class ProducerService implements AutoCloseable {

    /** The service tag and thread name. */
    public static final String SERVICE = "producer";
    /** {@code /metrics} port unless {@code metrics.port} says otherwise. */
    public static final int DEFAULT_METRICS_PORT = 9403;

    /** Sends per pacing round at most, so progress and stop requests are seen often. */
    private static final long MAX_PER_ROUND = 256;
    /** A long pacing wait is cut into naps this short, so close() is prompt at low rates. */
    private static final long MAX_NAP_NANOS = 50_000_000L;
    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;

    private final FeatureProducer producer;
    private final AutoCloseable clientMetrics;
    private final Iterator<FeatureMessage> records;
    private final long total;
    private final Pacer pacer;
    private final ProgressListener listener;
    /** Labels sent apart from their records, later; null for none. */
    private final LabelDelay labelDelay;
    private final String labelsTopic;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long startNanos = System.nanoTime();
    private volatile boolean stopRequested;
    private volatile boolean completed;
    private volatile long endNanos;
    private volatile String crash;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProducerService(final FeatureProducer producer, final AutoCloseable clientMetrics,
                            final Iterator<FeatureMessage> records, final long total, final Pacer pacer,
                            final ProgressListener listener, final LabelDelay labelDelay, final String labelsTopic) {
        this.producer = producer;
        this.labelDelay = labelDelay;
        this.labelsTopic = labelsTopic;
        this.clientMetrics = clientMetrics;
        this.records = records;
        this.total = total;
        this.pacer = pacer;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.thread = new Thread(this::run, "kd-" + SERVICE);
    }

    /**
     * Starts sending {@code stream} to the configured features topic (it must exist: see
     * {@code TopicAdmin.ensureTopics}).
     *
     * @param config   bootstrap servers, topic names, {@code kafka.*} client properties
     * @param rate     records per second; 0 = as fast as possible
     * @param metrics  where the producer's meters go (its Kafka client metrics too)
     * @param listener progress from the sending thread, or null
     */
    public static ProducerService start(final KdConfig config, final FeatureStream stream, final double rate,
                                        final ServiceMetrics metrics, final ProgressListener listener) {
        return start(config, stream.iterator(), stream.size(), rate, metrics, listener);
    }

    /**
     * With labels sent apart from their records ({@code --label-delay}) to the configured labels topic.
     *
     * @param labelDelay how late, or null for labels inline
     */
    static ProducerService start(final KdConfig config, final FeatureStream stream, final double rate,
                                 final ServiceMetrics metrics, final ProgressListener listener,
                                 final LabelDelay labelDelay) {
        return start(FeatureProducer.kafkaProducer(config), config.topics().features(), stream.iterator(),
                stream.size(), Pacer.of(rate), metrics, listener, labelDelay, config.topics().labels());
    }

    /**
     * Starts sending any sequence of messages.
     *
     * @param total records {@code records} holds, or -1 if unknown or endless (progress only)
     */
    public static ProducerService start(final KdConfig config, final Iterator<FeatureMessage> records, final long total,
                                        final double rate, final ServiceMetrics metrics,
                                        final ProgressListener listener) {
        final Pacer pacer = Pacer.of(rate);
        return start(FeatureProducer.kafkaProducer(config), config.topics().features(), records, total, pacer, metrics,
                listener, null, null);
    }

    /** With a given client (tests pass a {@code MockProducer}); the service closes it. */
    static ProducerService start(final Producer<byte[], byte[]> client, final String topic,
                                 final Iterator<FeatureMessage> records, final long total, final Pacer pacer,
                                 final ServiceMetrics metrics, final ProgressListener listener) {
        return start(client, topic, records, total, pacer, metrics, listener, null, null);
    }

    static ProducerService start(final Producer<byte[], byte[]> client, final String topic,
                                 final Iterator<FeatureMessage> records, final long total, final Pacer pacer,
                                 final ServiceMetrics metrics, final ProgressListener listener,
                                 final LabelDelay labelDelay, final String labelsTopic) {
        final KafkaClientMetrics clientMetrics = new KafkaClientMetrics(client);
        clientMetrics.bindTo(metrics.registry());
        final ProducerService service = new ProducerService(new FeatureProducer(client, topic, metrics.registry()),
                clientMetrics, records, total, pacer, listener, labelDelay, labelsTopic);
        service.thread.start();
        return service;
    }

    private void run() {
        long lastReport = System.nanoTime();
        try {
            // the first send would wait for the connection and metadata: wait here instead, so the
            // rate and the clock start when records can flow (and a missing topic fails at once)
            producer.awaitMetadata();
            startNanos = System.nanoTime();
            pacer.restart();
            while (!stopRequested && producer.failed() == 0 && records.hasNext()) {
                sendDueLabels();
                final long permits = pacer.take(MAX_PER_ROUND);
                if (permits == 0) {
                    LockSupport.parkNanos(Math.min(Math.min(pacer.nanosUntilDue(), labelsDueIn()), MAX_NAP_NANOS));
                    continue;
                }
                // a failed send can block for max.block.ms (topic missing): stop at the first one
                for (long i = 0; i < permits && !stopRequested && producer.failed() == 0 && records.hasNext(); i++) {
                    final FeatureMessage next = records.next();
                    producer.send(labelDelay == null ? next : labelDelay.take(next, System.nanoTime()));
                }
                final long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                    listener.onProgress(progress());
                    lastReport = now;
                }
            }
            // the labels still to come, each at its time
            while (labelDelay != null && !stopRequested && producer.failed() == 0 && labelDelay.waiting() > 0) {
                sendDueLabels();
                LockSupport.parkNanos(Math.min(labelsDueIn(), MAX_NAP_NANOS));
                final long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                    listener.onProgress(progress());
                    lastReport = now;
                }
            }
            completed = !stopRequested && producer.failed() == 0 && !records.hasNext()
                    && (labelDelay == null || labelDelay.waiting() == 0);
            producer.flush();
        } catch (RuntimeException e) {
            // e.g. a fatal producer error thrown by send(): the run is over, the summary says why
            crash = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            final long lastAck = producer.lastAckNanos();
            endNanos = lastAck > 0 ? lastAck : System.nanoTime();
            try {
                listener.onProgress(progress());
            } finally {
                done.countDown();
            }
        }
    }

    private void sendDueLabels() {
        if (labelDelay == null) {
            return;
        }
        final long now = System.nanoTime();
        // after a failed send nothing more is taken: what is left is counted as not sent
        while (producer.failed() == 0) {
            final LabelDelay.Due d = labelDelay.next(now);
            if (d == null) {
                return;
            }
            producer.sendLabel(labelsTopic, d.id(), d.label());
        }
    }

    private long labelsDueIn() {
        return labelDelay == null ? Long.MAX_VALUE : labelDelay.nanosUntilNext(System.nanoTime());
    }

    /** Labels sent apart from their records so far. */
    public long labelsSent() {
        return producer.labels();
    }

    public long sent() {
        return producer.sent();
    }

    public long acked() {
        return producer.acked();
    }

    public long failed() {
        return producer.failed();
    }

    public ProducerProgress progress() {
        final long end = endNanos;
        return new ProducerProgress(producer.sent(), producer.acked(), producer.failed(), total,
                (end > 0 ? end : System.nanoTime()) - startNanos);
    }

    /** True while records are still being sent or acknowledged. */
    public boolean running() {
        return done.getCount() > 0;
    }

    /** Waits until the stream is sent and acknowledged (or the run stopped), then sums it up. */
    public ProduceSummary awaitCompletion() throws InterruptedException {
        done.await();
        return summary();
    }

    /** @return the summary, or null if the run is still going after {@code timeout} */
    public ProduceSummary awaitCompletion(final Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? summary() : null;
    }

    private ProduceSummary summary() {
        final Exception error = producer.firstError();
        final String firstError = crash != null ? crash
                : error != null ? error.getClass().getSimpleName() + ": " + error.getMessage() : null;
        return new ProduceSummary(producer.sent(), producer.acked(), producer.failed(), completed,
                Duration.ofNanos(endNanos - startNanos), firstError, producer.labels(),
                labelDelay == null ? 0 : labelDelay.waiting());
    }

    /** Stops sending (records already sent are still acknowledged), closes the client. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopRequested = true;
        LockSupport.unpark(thread);
        try {
            if (Thread.currentThread() != thread && !done.await(10, TimeUnit.SECONDS)) {
                // stuck in send(), e.g. waiting max.block.ms for a broker that is gone
                thread.interrupt();
                done.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                clientMetrics.close();
            } catch (Exception ignored) {
                // unregistering meters on the way out: nothing to do about a failure
            }
            producer.close();
        }
    }
}
