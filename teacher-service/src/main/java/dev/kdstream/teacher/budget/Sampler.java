package dev.kdstream.teacher.budget;

import dev.kdstream.contracts.records.Selection;

/**
 * Decides which training records the ensemble annotates. One per annotator task (not
 * thread-safe); holdout records never reach it (they are always annotated).
 */
public interface Sampler {

    /**
     * @param id      the record's id (uniform draws are a function of it: {@link UniformDraw})
     * @param student the served student's class probabilities for the record when
     *                {@link #looksAtStudent}, else null; null too when no student is served yet
     * @return {@link Selection#UNIFORM} or {@link Selection#UNCERTAIN} to annotate it, null to leave it
     */
    Selection choose(String id, double[] student);

    /** Whether {@link #choose} looks at the student's probabilities: if not, they are not computed. */
    default boolean looksAtStudent() {
        return false;
    }

    /**
     * Whether it wants {@link #agreed}: the student's class is then computed for the records it
     * chooses uniformly.
     */
    default boolean wantsAgreement() {
        return false;
    }

    /**
     * Told, for each record chosen {@link Selection#UNIFORM} while a student was served, whether
     * the student's class was the ensemble's.
     */
    default void agreed(final boolean agreed) {
    }

    /** The share of training records it aims to annotate now. */
    double budget();
}
