package dev.kdstream.student;

import java.util.List;
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.Topics;
import dev.kdstream.contracts.records.FeatureRecord;
import dev.kdstream.contracts.records.LabelRecord;
import dev.kdstream.contracts.records.Selection;
import dev.kdstream.contracts.records.SoftTargetRecord;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.kernel.Standardizer;
import dev.kdstream.student.trainer.TrainerSetup;

/**
 * Soft-target records made by hand, as the teacher-service would write them: 4 raw features, 2
 * classes, a "teacher" whose logits follow the rule the labels follow (so its accuracy is 1),
 * 30% unlabelled, 10% holdout.
 */
final class SoftTargetStream {

    static final int WIDTH = 4;
    static final int CLASSES = 2;
    static final double TEMPERATURE = 3.0;
    static final String ENSEMBLE = "hand-made-ensemble";

    private SoftTargetStream() {
    }

    static TrainerSetup setup() {
        final Hyperparameters hp = Hyperparameters.defaults()
                .withDistillation(new Hyperparameters.Distillation(TEMPERATURE, 0.7));
        return new TrainerSetup(new Standardizer(new double[] {1, 1, 1, 1}, new double[] {2, 2, 2, 2}), WIDTH,
                CLASSES, hp, ENSEMBLE);
    }

    /** Record {@code i} from a teacher gone stale: its logits (and soft targets) say the other class. */
    static SoftTargetRecord staleRecord(final int i) {
        final SoftTargetRecord r = record(i);
        final double[] logits = {r.teacherLogits()[1], r.teacherLogits()[0]};
        return new SoftTargetRecord(r.id(), r.ts(), r.features(), r.label(), r.split(), logits,
                Probabilities.softmax(logits, TEMPERATURE), TEMPERATURE, ENSEMBLE);
    }

    static SoftTargetRecord record(final int i) {
        final Random random = new Random(i);
        final double[] x = new double[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            x[j] = 1 + 2 * random.nextGaussian();
        }
        final double margin = (x[0] - 1) + 0.5 * (x[1] - 1);
        final double[] logits = {-margin, margin};
        final int label = margin > 0 ? 1 : 0;
        final String split = i % 10 == 9 ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN;
        final Integer maybeLabel = i % 10 < 3 ? null : label;
        return new SoftTargetRecord("r" + i, 1_000L + i, x, maybeLabel, split, logits,
                Probabilities.softmax(logits, TEMPERATURE), TEMPERATURE, ENSEMBLE);
    }

    /** Record {@code i} without its label: it waits for a late one. */
    static SoftTargetRecord unlabelled(final int i) {
        final SoftTargetRecord r = record(i);
        return new SoftTargetRecord(r.id(), r.ts(), r.features(), null, r.split(), r.teacherLogits(),
                r.softTargets(), TEMPERATURE, ENSEMBLE);
    }

    /** A refresh's lesson record, stamped far ahead of the stream: its time must not be the stream's. */
    static SoftTargetRecord rehearsal(final int i) {
        final SoftTargetRecord r = record(i);
        return SoftTargetRecord.of(new FeatureRecord("rehearsal/" + ENSEMBLE + "+1/" + i, Long.MAX_VALUE / 2,
                r.features(), label(r), FeatureRecord.TRAIN), r.teacherLogits(), r.softTargets(), TEMPERATURE,
                ENSEMBLE + "+1", Selection.REHEARSAL);
    }

    private static int label(final SoftTargetRecord r) {
        return r.teacherLogits()[1] > 0 ? 1 : 0;
    }

    /** A label as the teacher passes it on from the labels topic. */
    static SoftTargetRecord lateLabel(final String id, final long ts, final int label) {
        return SoftTargetRecord.lateLabel(new LabelRecord(id, label, ts), TEMPERATURE, ENSEMBLE);
    }

    /** Writes {@code records} in order, each keyed by its id as the teacher keys them. */
    static void write(final KdConfig config, final List<SoftTargetRecord> records) {
        final Properties p = config.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        final Topics topics = Topics.of(config.topics());
        try (KafkaProducer<String, SoftTargetRecord> producer = new KafkaProducer<>(p,
                topics.softTargets().keySerde().serializer(), topics.softTargets().valueSerde().serializer())) {
            for (final SoftTargetRecord r : records) {
                producer.send(new ProducerRecord<>(topics.softTargets().name(), r.id(), r));
            }
            producer.flush();
        }
    }

    /** Writes records {@code from} (inclusive) to {@code to} (exclusive), plus any raw values. */
    static void write(final KdConfig config, final int from, final int to, final List<byte[]> raw) {
        write(config, from, to, raw, false);
    }

    /** ... by a teacher gone stale ({@link #staleRecord}) when {@code stale}. */
    static void write(final KdConfig config, final int from, final int to, final List<byte[]> raw,
                      final boolean stale) {
        final Properties p = config.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        final Topics topics = Topics.of(config.topics());
        try (KafkaProducer<String, SoftTargetRecord> producer = new KafkaProducer<>(p,
                topics.softTargets().keySerde().serializer(), topics.softTargets().valueSerde().serializer());
             KafkaProducer<byte[], byte[]> bytes = new KafkaProducer<>(p, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                final SoftTargetRecord r = stale ? staleRecord(i) : record(i);
                producer.send(new ProducerRecord<>(topics.softTargets().name(), r.id(), r));
            }
            for (final byte[] value : raw) {
                bytes.send(new ProducerRecord<>(topics.softTargets().name(), null, value));
            }
            producer.flush();
            bytes.flush();
        }
    }
}
