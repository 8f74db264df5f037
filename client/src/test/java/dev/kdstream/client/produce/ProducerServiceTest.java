package dev.kdstream.client.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.records.FeatureRecord;

/** The sending loop against a {@link MockProducer}: no broker, so failures are easy to make. */
class ProducerServiceTest {

    private final ServiceMetrics metrics = new ServiceMetrics(ProducerService.SERVICE);

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    private static FeatureStream stream(final int rows, final StreamOptions options) {
        final double[][] x = new double[rows][];
        final int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = new double[] {i, 1};
            y[i] = i % 2;
        }
        return FeatureStream.of(new Dataset("test", x, y, 2), options);
    }

    private static MockProducer<byte[], byte[]> mock(final boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void sendsTheWholeStreamKeyedByIdAndStampedWithTheSendTime() throws Exception {
        final MockProducer<byte[], byte[]> client = mock(true);
        final FeatureStream stream = stream(100, StreamOptions.defaults().withRepeat(3));
        final List<ProducerProgress> reports = new ArrayList<>();
        final long before = System.currentTimeMillis();

        final ProduceSummary summary;
        try (ProducerService service = ProducerService.start(client, "features", stream.iterator(), stream.size(),
                Pacer.of(0), metrics, reports::add)) {
            summary = service.awaitCompletion();
        }

        assertThat(summary.successful()).isTrue();
        assertThat(summary.completed()).isTrue();
        assertThat(summary.sent()).isEqualTo(300);
        assertThat(summary.acked()).isEqualTo(300);
        final List<ProducerRecord<byte[], byte[]>> history = client.history();
        assertThat(history).hasSize(300);
        final List<String> expectedIds = new ArrayList<>();
        stream.forEach(m -> expectedIds.add(m.id()));
        for (int i = 0; i < history.size(); i++) {
            final ProducerRecord<byte[], byte[]> r = history.get(i);
            final FeatureRecord value = Json.MAPPER.readValue(r.value(), FeatureRecord.class);
            assertThat(r.topic()).isEqualTo("features");
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(value.id()).isEqualTo(expectedIds.get(i));
            assertThat(value.ts()).isEqualTo(r.timestamp()).isBetween(before, System.currentTimeMillis());
        }
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(reports.size() - 1)).satisfies(p -> {
            assertThat(p.acked()).isEqualTo(300);
            assertThat(p.total()).isEqualTo(300);
        });
        assertThat(metrics.registry().get(MetricNames.RECORDS).tag(MetricNames.STAGE, FeatureProducer.STAGE_PRODUCED)
                .counter().count()).isEqualTo(300);
        assertThat(metrics.registry().get(MetricNames.PRODUCER_ACK_LATENCY).timer().count()).isEqualTo(300);
        assertThat(metrics.registry().scrape()).contains("kd_records_total{service=\"producer\",stage=\"produced\"} 300");
    }

    @Test
    void aFailedSendStopsTheRunAndIsReported() throws Exception {
        final MockProducer<byte[], byte[]> client = mock(false);
        final FeatureStream stream = stream(1000, StreamOptions.defaults());

        try (ProducerService service = ProducerService.start(client, "features", stream.iterator(), stream.size(),
                Pacer.of(200), metrics, null)) {
            awaitHistory(client, 1);
            client.errorNext(new TimeoutException("Topic features not present in metadata after 60000 ms."));
            final ProduceSummary summary = service.awaitCompletion(Duration.ofSeconds(60));

            assertThat(summary).isNotNull();
            assertThat(summary.successful()).isFalse();
            assertThat(summary.completed()).isFalse();
            assertThat(summary.failed()).isEqualTo(1);
            assertThat(summary.sent()).isLessThan(1000);
            // flush() completes the rest: nothing left unanswered
            assertThat(summary.acked()).isEqualTo(summary.sent() - 1);
            assertThat(summary.firstError()).contains("TimeoutException", "not present in metadata");
            assertThat(summary.describe()).contains("failed:         1", "first error:", "stopped early");
        }
        assertThat(metrics.registry().get(MetricNames.RECORDS).tag(MetricNames.STAGE, FeatureProducer.STAGE_FAILED)
                .counter().count()).isEqualTo(1);
    }

    @Test
    void closeStopsAnEndlessStream() throws Exception {
        final MockProducer<byte[], byte[]> client = mock(true);
        final FeatureStream endless = stream(10, StreamOptions.defaults().withRepeat(0));
        final ProducerService service = ProducerService.start(client, "features", endless.iterator(), endless.size(),
                Pacer.of(1000), metrics, null);
        awaitHistory(client, 20);

        service.close();

        assertThat(service.running()).isFalse();
        final ProduceSummary summary = service.awaitCompletion();
        assertThat(summary.completed()).isFalse();
        assertThat(summary.successful()).as("everything sent was acknowledged").isTrue();
        assertThat(summary.sent()).isEqualTo(client.history().size()).isGreaterThanOrEqualTo(20);
        assertThat(client.closed()).isTrue();
        service.close();
    }

    private static void awaitHistory(final MockProducer<byte[], byte[]> client, final int size)
            throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.history().size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(client.history()).hasSizeGreaterThanOrEqualTo(size);
    }
}
