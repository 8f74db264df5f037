package dev.kdstream.contracts.records;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a record reached the trainer, and so what it can be used for. The teacher decides it (its
 * budget and sampler) and stamps it on every soft-target record.
 */
public enum Selection {

    /**
     * Annotated because a uniform draw chose it (every record at a budget of 1.0): an unbiased
     * sample of the stream, the only records the ensemble's accuracy and the student-teacher
     * agreement are measured on.
     */
    UNIFORM("uniform", 0),
    /** Annotated because the served student was unsure of it: hard records, over-represented. */
    UNCERTAIN("uncertain", 1),
    /** A holdout record: always annotated, outside the budget (it measures the ensemble). */
    HOLDOUT("holdout", 2),
    /** Labelled and not annotated: no soft targets, it trains both students on its label alone. */
    LABEL_ONLY("label_only", 3),
    /**
     * Unlabelled and not annotated, passed on because its label may come later on {@code labels}:
     * nothing to train on until then ({@link #LATE_LABEL}).
     */
    UNANNOTATED("unannotated", 4),
    /**
     * A label from the {@code labels} topic for a record written before (or, rarely, after) it: no
     * features, no teacher output; the trainer joins it to its record by id.
     */
    LATE_LABEL("late_label", 5),
    /**
     * A labelled record of the window a refreshed ensemble learnt from, annotated by that ensemble
     * after it was swapped in: the refresh re-teaching the distilled student what changed. Not a
     * record of the stream: it trains the distilled student alone, and nothing scores it.
     */
    REHEARSAL("rehearsal", 6);

    private final String tag;
    /** Its byte in a binary soft target: fixed, whatever the order of the constants. */
    private final byte code;

    Selection(final String tag, final int code) {
        this.tag = tag;
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The selection written as {@code code}, or null for none. */
    public static Selection ofCode(final byte code) {
        for (final Selection s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** The name in metrics and JSON. */
    @JsonValue
    public String tag() {
        return tag;
    }

    /** The selection named {@code tag}, as {@link #tag} writes it. */
    @JsonCreator
    public static Selection ofTag(final String tag) {
        for (final Selection s : values()) {
            if (s.tag.equals(tag)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no selection '" + tag + "'");
    }

    /** A record's selection where no budget decided it (every record annotated, as before the budget). */
    public static Selection unbudgeted(final boolean holdout) {
        return holdout ? HOLDOUT : UNIFORM;
    }

    /** Whether the teacher ran on it (it has teacher logits and soft targets). */
    public boolean annotated() {
        return this == UNIFORM || this == UNCERTAIN || this == HOLDOUT || this == REHEARSAL;
    }

    /** Whether it is an unbiased sample of what the teacher sees (see {@link #UNIFORM}). */
    public boolean unbiased() {
        return this == UNIFORM || this == HOLDOUT;
    }
}
