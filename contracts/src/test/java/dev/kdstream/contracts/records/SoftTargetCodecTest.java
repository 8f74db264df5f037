package dev.kdstream.contracts.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.records.InvalidRecordException.Reason;

class SoftTargetCodecTest {

    private static final SoftTargetRecord LABELLED = new SoftTargetRecord("rec-ü-1", 1_700_000_000_123L,
            new double[] {0.1, -0.0, Double.MIN_VALUE, 1e300, -2.2250738585072014E-308}, 1, FeatureRecord.TRAIN,
            new double[] {2.5, -2.5}, new double[] {0.006692850924284857, 0.9933071490757153}, 2.5,
            "ensemble-20261206-s42");
    private static final SoftTargetRecord UNLABELLED_HOLDOUT = new SoftTargetRecord("7", 0, new double[20], null,
            FeatureRecord.HOLDOUT, new double[] {0, 0}, new double[] {0.5, 0.5}, 1, "e");
    private static final SoftTargetRecord UNCERTAIN = new SoftTargetRecord("u", 3, new double[] {1}, null,
            FeatureRecord.TRAIN, new double[] {0, 1}, new double[] {0.4, 0.6}, 3, "e", Selection.UNCERTAIN);
    private static final SoftTargetRecord LABEL_ONLY = SoftTargetRecord.labelOnly(
            new FeatureRecord("l", 4, new double[] {2, 3}, 0, FeatureRecord.TRAIN), 3, "e");
    private static final SoftTargetRecord UNANNOTATED = SoftTargetRecord.unannotated(
            new FeatureRecord("n", 5, new double[] {2, 3}, null, FeatureRecord.TRAIN), 3, "e");
    private static final SoftTargetRecord LATE_LABEL = SoftTargetRecord.lateLabel(new LabelRecord("n", 1, 9), 3, "e");
    private static final SoftTargetRecord REHEARSAL = SoftTargetRecord.of(
            new FeatureRecord("rehearsal/e+1/0", 6, new double[] {2, 3}, 1, FeatureRecord.TRAIN),
            new double[] {0, 1}, new double[] {0.4, 0.6}, 3, "e+1", Selection.REHEARSAL);

    @Test
    void everyFieldSurvivesTheRoundTripBitForBit() {
        for (final SoftTargetRecord r : new SoftTargetRecord[] {LABELLED, UNLABELLED_HOLDOUT, UNCERTAIN,
                LABEL_ONLY, UNANNOTATED, LATE_LABEL, REHEARSAL}) {
            assertThat(SoftTargetCodec.decode(SoftTargetCodec.encode(r))).usingRecursiveComparison().isEqualTo(r);
        }
        final double[] back = SoftTargetCodec.decode(SoftTargetCodec.encode(LABELLED)).features();
        assertThat(Double.doubleToRawLongBits(back[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aLabelWhereItsSelectionHasNoneOrNoneWhereItNeedsOneIsRefusedBothWays() {
        final SoftTargetRecord labelledUnannotated = UNANNOTATED.withLabel(1);
        assertThat(labelledUnannotated.selection()).as("a label makes it label-only").isEqualTo(Selection.LABEL_ONLY);
        final SoftTargetRecord unannotatedWithLabel = new SoftTargetRecord("n", 5, new double[] {2, 3}, 1,
                FeatureRecord.TRAIN, null, null, 3, "e", Selection.UNANNOTATED);
        assertThatThrownBy(() -> SoftTargetCodec.encode(unannotatedWithLabel)).hasMessageContaining("with a label");
        final byte[] bytes = SoftTargetCodec.encode(UNANNOTATED);
        // the label field sits after the id, ts and two features: write a label into it
        ByteBuffer.wrap(bytes).putInt(1 + 5 + 8 + 4 + 16, 1);
        assertThatThrownBy(() -> SoftTargetCodec.decode(bytes)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("unannotated record with a label");
        final byte[] late = SoftTargetCodec.encode(LATE_LABEL);
        ByteBuffer.wrap(late).putInt(1 + 5 + 8 + 4, -1);
        assertThatThrownBy(() -> SoftTargetCodec.decode(late)).hasMessageContaining("late_label record without a label");
        // a rehearsal teaches a label: one without is no record the teacher writes
        final byte[] rehearsal = SoftTargetCodec.encode(REHEARSAL);
        ByteBuffer.wrap(rehearsal).putInt(1 + 4 + REHEARSAL.id().length() + 8 + 4 + 16, -1);
        assertThatThrownBy(() -> SoftTargetCodec.decode(rehearsal)).hasMessageContaining("rehearsal record without a label");
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        // 1 format + (4 + 1) id + 8 ts + (4 + 160) features + 4 label + 1 split + 1 selection
        // + (4 + 16) logits + (4 + 16) soft targets + 8 temperature + (4 + 1) version
        final byte[] bytes = SoftTargetCodec.encode(UNLABELLED_HOLDOUT);
        assertThat(bytes).hasSize(1 + 5 + 8 + 164 + 4 + 1 + 1 + 20 + 20 + 8 + 5);
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(b.get()).isEqualTo(SoftTargetCodec.FORMAT);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.get()).isEqualTo((byte) '7');
        assertThat(b.getLong()).isZero();
        assertThat(b.getInt()).isEqualTo(20);
        b.position(b.position() + 160);
        assertThat(b.getInt()).isEqualTo(-1);
        assertThat(b.get()).isEqualTo((byte) 1);
        assertThat(b.get()).isEqualTo(Selection.HOLDOUT.code());
        assertThat(b.getInt()).isEqualTo(2);
        // not annotated: both counts 0
        final ByteBuffer labelOnly = ByteBuffer.wrap(SoftTargetCodec.encode(LABEL_ONLY));
        labelOnly.position(1 + 5 + 8 + 20 + 4 + 1);
        assertThat(labelOnly.get()).isEqualTo(Selection.LABEL_ONLY.code());
        assertThat(labelOnly.getInt()).isZero();
        assertThat(labelOnly.getInt()).isZero();
    }

    @Test
    void aFormatOneRecordIsReadAsAnnotatedUniformlyOrHoldout() {
        for (final SoftTargetRecord r : new SoftTargetRecord[] {LABELLED, UNLABELLED_HOLDOUT}) {
            final byte[] two = SoftTargetCodec.encode(r);
            // format 1: no selection byte, after format, id, ts, features, label and split
            final int selectionAt = 1 + 4 + r.id().getBytes(StandardCharsets.UTF_8).length + 8
                    + 4 + 8 * r.features().length + 4 + 1;
            final byte[] one = new byte[two.length - 1];
            System.arraycopy(two, 0, one, 0, selectionAt);
            System.arraycopy(two, selectionAt + 1, one, selectionAt, two.length - selectionAt - 1);
            one[0] = 1;
            assertThat(SoftTargetCodec.decode(one)).usingRecursiveComparison().isEqualTo(r);
        }
    }

    @Test
    void aSelectionThatDisagreesWithTheTeacherOutputIsMalformed() {
        final int selectionAt = 1 + 5 + 8 + 164 + 4 + 1;
        final byte[] unknown = SoftTargetCodec.encode(UNLABELLED_HOLDOUT);
        unknown[selectionAt] = 9;
        assertMalformed(unknown, "selection 9");
        final byte[] holdoutAsTraining = SoftTargetCodec.encode(UNLABELLED_HOLDOUT);
        holdoutAsTraining[selectionAt] = Selection.UNCERTAIN.code();
        assertMalformed(holdoutAsTraining, "a uncertain record of split 1");
        final byte[] labelOnlyWithLogits = SoftTargetCodec.encode(UNCERTAIN);
        // after format, id "u", ts, one feature, label and split
        labelOnlyWithLogits[1 + 5 + 8 + 12 + 4 + 1] = Selection.LABEL_ONLY.code();
        assertMalformed(labelOnlyWithLogits, "a label_only record with 2 teacher logits");
        final byte[] annotatedWithout = SoftTargetCodec.encode(LABEL_ONLY);
        annotatedWithout[1 + 5 + 8 + 20 + 4 + 1] = Selection.UNIFORM.code();
        assertMalformed(annotatedWithout, "a uniform record with 0 teacher logits");
    }

    @Test
    void everyTruncationIsAMalformedRecordNeverAnotherException() {
        final byte[] full = SoftTargetCodec.encode(LABELLED);
        for (int n = 0; n < full.length; n++) {
            final byte[] cut = Arrays.copyOf(full, n);
            assertThatThrownBy(() -> SoftTargetCodec.decode(cut)).as("first %d bytes", n)
                    .isInstanceOfSatisfying(InvalidRecordException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BINARY));
        }
    }

    @Test
    void aJsonSoftTargetOfAnEarlierVersionIsNamed() {
        assertMalformed("{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8), "a JSON soft target");
    }

    @Test
    void aHugeCountIsRefusedBeforeAnythingIsAllocated() {
        final byte[] bytes = SoftTargetCodec.encode(UNLABELLED_HOLDOUT);
        // the features' count, after format, id and ts
        ByteBuffer.wrap(bytes).putInt(1 + 5 + 8, Integer.MAX_VALUE);
        assertMalformed(bytes, "'features' claims 2147483647 entries");
    }

    @Test
    void everyBadFieldIsAMalformedRecord() {
        final byte[] full = SoftTargetCodec.encode(UNLABELLED_HOLDOUT);
        final int featureCount = 1 + 5 + 8;
        final int label = featureCount + 164;
        for (final byte format : new byte[] {0, 3, (byte) '['}) {
            final byte[] b = full.clone();
            b[0] = format;
            assertMalformed(b, "format " + format);
        }
        for (final int count : new int[] {-1, Integer.MIN_VALUE, SoftTargetCodec.MAX_LENGTH + 1}) {
            final byte[] b = full.clone();
            ByteBuffer.wrap(b).putInt(featureCount, count);
            assertMalformed(b, "'features' claims " + count);
        }
        final byte[] b = full.clone();
        ByteBuffer.wrap(b).putInt(label, -2);
        assertMalformed(b, "label -2");
    }

    private static void assertMalformed(final byte[] bytes, final String message) {
        assertThatThrownBy(() -> SoftTargetCodec.decode(bytes)).hasMessageContaining(message)
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BINARY));
    }

    @Test
    void bytesAfterTheRecordOrABadSplitOrInvalidUtf8AreMalformed() {
        final byte[] full = SoftTargetCodec.encode(UNLABELLED_HOLDOUT);
        assertMalformed(Arrays.copyOf(full, full.length + 1), "1 bytes after the record");
        final byte[] split = full.clone();
        split[1 + 5 + 8 + 164 + 4] = 7;
        assertMalformed(split, "split 7");
        final byte[] id = full.clone();
        id[5] = (byte) 0xff;
        assertMalformed(id, "'id' is not UTF-8");
    }

    @Test
    void theSelectionCodesAreFixed() {
        // written into every soft target on the topic: reordering the constants must not change them
        assertThat(new byte[] {Selection.UNIFORM.code(), Selection.UNCERTAIN.code(), Selection.HOLDOUT.code(),
            Selection.LABEL_ONLY.code()}).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aRecordThePipelineNeverWritesIsRefused() {
        final SoftTargetRecord unlabelledLabelOnly = new SoftTargetRecord("a", 0, new double[1], null, "train", null,
                null, 1, "e", Selection.LABEL_ONLY);
        assertThatThrownBy(() -> SoftTargetCodec.encode(unlabelledLabelOnly)).hasMessageContaining("without a label");
        final SoftTargetRecord r = new SoftTargetRecord("a", 0, new double[1], null, "test", new double[2],
                new double[] {0.5, 0.5}, 1, "e");
        assertThatThrownBy(() -> SoftTargetCodec.encode(r)).isInstanceOf(IllegalArgumentException.class);
        final SoftTargetRecord wide = new SoftTargetRecord("a", 0, new double[SoftTargetCodec.MAX_LENGTH + 1], null,
                "train", new double[2], new double[] {0.5, 0.5}, 1, "e");
        assertThatThrownBy(() -> SoftTargetCodec.encode(wide)).as("decode would refuse it")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
