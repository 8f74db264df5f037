package dev.kdstream.contracts.records;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.kdstream.contracts.records.InvalidRecordException.Reason;

/**
 * The bytes of a {@code soft-targets} record: a compact binary form, read only by the trainer.
 * Writing a soft target as JSON and parsing it back cost more CPU per record than anything the
 * trainer does with it but the training step; here each double is its 8 bytes, copied.
 * The public topics ({@code features}, {@code predictions}) stay JSON; {@code ./kd soft-targets}
 * prints these records as JSON for a person.
 *
 * <p>Layout, big-endian: {@link #FORMAT} (one byte, never {@code '{'}, so a JSON soft target of an
 * earlier kd-stream is told apart), id (int length + UTF-8), ts (long), features (int count +
 * doubles), label (int, -1 for none), split (byte: 0 train, 1 holdout), selection (byte: its
 * {@link Selection#code}), teacher logits (int count + doubles), soft targets (int count +
 * doubles; both counts 0 for a record not annotated), temperature (double), ensemble version (int
 * length + UTF-8). Format 1, before the teacher budget, had no selection byte and every record
 * annotated: it is still read, as {@link Selection#UNIFORM} (or holdout) records. A
 * {@link Selection#LATE_LABEL} record has no features; a {@link Selection#LABEL_ONLY} one has a label
 * and an {@link Selection#UNANNOTATED} one none.
 */
public final class SoftTargetCodec {

    /** The layout's version, the first byte. */
    public static final byte FORMAT = 2;
    /** The layout before the selection byte. */
    static final byte FORMAT_1 = 1;
    /** No count or length in a soft target comes near it; a larger one is a corrupt record, not an allocation. */
    static final int MAX_LENGTH = 1 << 16;

    private static final int NO_LABEL = -1;
    private static final double[] NONE = new double[0];

    private SoftTargetCodec() {
    }

    /**
     * @throws IllegalArgumentException for a record the pipeline never writes (an unknown split, a
     *                                  negative label, more than {@link #MAX_LENGTH} of anything):
     *                                  {@link #decode} would refuse it
     */
    public static byte[] encode(final SoftTargetRecord r) {
        final byte[] id = r.id().getBytes(StandardCharsets.UTF_8);
        final byte[] version = r.ensembleVersion().getBytes(StandardCharsets.UTF_8);
        final double[] logits = r.annotated() ? r.teacherLogits() : NONE;
        final double[] soft = r.annotated() ? r.softTargets() : NONE;
        if (logits == null || soft == null || r.annotated() && logits.length == 0 || !fits(r.selection(), r.labelled())
                || (r.selection() == Selection.HOLDOUT) != r.holdout()) {
            throw new IllegalArgumentException("not a soft target the pipeline writes: a " + r.selection().tag()
                    + " record of split " + r.split() + (r.annotated() ? " without teacher output"
                    : r.labelled() ? " with a label" : " without a label"));
        }
        if (!FeatureRecord.isKnownSplit(r.split()) || r.label() != null && r.label() < 0
                || Math.max(Math.max(id.length, version.length), Math.max(r.features().length,
                        Math.max(logits.length, soft.length))) > MAX_LENGTH) {
            throw new IllegalArgumentException("not a soft target the pipeline writes: split " + r.split()
                    + ", label " + r.label() + ", " + r.features().length + " features");
        }
        final ByteBuffer b = ByteBuffer.allocate(1 + 4 + id.length + 8 + doubles(r.features()) + 4 + 1 + 1
                + doubles(logits) + doubles(soft) + 8 + 4 + version.length);
        b.put(FORMAT);
        b.putInt(id.length).put(id);
        b.putLong(r.ts());
        put(b, r.features());
        b.putInt(r.label() == null ? NO_LABEL : r.label());
        b.put((byte) (r.holdout() ? 1 : 0));
        b.put(r.selection().code());
        put(b, logits);
        put(b, soft);
        b.putDouble(r.temperature());
        b.putInt(version.length).put(version);
        return b.array();
    }

    /**
     * The record in {@code bytes}, as written by {@link #encode}. Checks the layout only (what the
     * values mean is the reader's to check).
     *
     * @param bytes a record's value, not null (a tombstone is the caller's to name)
     * @throws InvalidRecordException {@link Reason#MALFORMED_BINARY} for bytes that are not one
     */
    public static SoftTargetRecord decode(final byte[] bytes) {
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            final byte format = b.get();
            if (format != FORMAT && format != FORMAT_1) {
                throw malformed("format " + format + " is not " + FORMAT + (format == '{'
                        ? " (a JSON soft target)" : ""));
            }
            final String id = string(b, "id");
            final long ts = b.getLong();
            final double[] features = doubles(b, "features");
            final int label = b.getInt();
            if (label < NO_LABEL) {
                throw malformed("label " + label);
            }
            final byte split = b.get();
            if (split != 0 && split != 1) {
                throw malformed("split " + split);
            }
            final Selection selection;
            if (format == FORMAT_1) {
                selection = Selection.unbudgeted(split == 1);
            } else {
                final byte code = b.get();
                selection = Selection.ofCode(code);
                if (selection == null) {
                    throw malformed("selection " + code);
                }
                if ((selection == Selection.HOLDOUT) != (split == 1)) {
                    throw malformed("a " + selection.tag() + " record of split " + split);
                }
            }
            final double[] logits = doubles(b, "teacherLogits");
            final double[] soft = doubles(b, "softTargets");
            final double temperature = b.getDouble();
            final String version = string(b, "ensembleVersion");
            if (b.hasRemaining()) {
                throw malformed(b.remaining() + " bytes after the record");
            }
            if (selection.annotated() != (logits.length > 0) || logits.length != soft.length) {
                throw malformed("a " + selection.tag() + " record with " + logits.length + " teacher logits and "
                        + soft.length + " soft targets");
            }
            if (!fits(selection, label != NO_LABEL)) {
                throw malformed("a " + selection.tag() + " record " + (label == NO_LABEL ? "without" : "with")
                        + " a label");
            }
            if (selection == Selection.LATE_LABEL && features.length > 0) {
                throw malformed("a late_label record with features");
            }
            final boolean annotated = selection.annotated();
            return new SoftTargetRecord(id, ts, features, label == NO_LABEL ? null : label,
                    split == 1 ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN, annotated ? logits : null,
                    annotated ? soft : null, temperature, version, selection);
        } catch (BufferUnderflowException e) {
            throw malformed("the record ends early, at byte " + bytes.length);
        }
    }

    /** Whether a record of {@code selection} may (or must) carry a label: the ones not annotated are decided by it. */
    private static boolean fits(final Selection selection, final boolean labelled) {
        return switch (selection) {
            case LABEL_ONLY, LATE_LABEL, REHEARSAL -> labelled;
            case UNANNOTATED -> !labelled;
            default -> true;
        };
    }

    private static int doubles(final double[] values) {
        return 4 + 8 * values.length;
    }

    private static void put(final ByteBuffer b, final double[] values) {
        b.putInt(values.length);
        for (final double v : values) {
            b.putDouble(v);
        }
    }

    private static double[] doubles(final ByteBuffer b, final String field) {
        final int n = length(b, field, 8);
        final double[] values = new double[n];
        b.asDoubleBuffer().get(values);
        b.position(b.position() + 8 * n);
        return values;
    }

    private static String string(final ByteBuffer b, final String field) {
        final int n = length(b, field, 1);
        final ByteBuffer text = b.slice().limit(n);
        b.position(b.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(text).toString();
        } catch (CharacterCodingException e) {
            throw malformed("'" + field + "' is not UTF-8");
        }
    }

    /** A count read from {@code b}, checked against what is left of it before anything is allocated. */
    private static int length(final ByteBuffer b, final String field, final int bytesEach) {
        final int n = b.getInt();
        if (n < 0 || n > MAX_LENGTH || (long) n * bytesEach > b.remaining()) {
            throw malformed("'" + field + "' claims " + n + " entries, " + b.remaining() + " bytes are left");
        }
        return n;
    }

    private static InvalidRecordException malformed(final String why) {
        return new InvalidRecordException(Reason.MALFORMED_BINARY, "not a soft-target record: " + why);
    }
}
