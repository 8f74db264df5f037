package dev.kdstream.teacher.budget;

import dev.kdstream.contracts.records.Selection;

/**
 * Decides which training records the ensemble annotates. One per annotator task (not
 * thread-safe); holdout records never reach it (they are always annotated).
 */
public interface Sampler {

    /**
     * @param id      the record's id (uniform draws are a function of it: {@link UniformDraw})
     * @param student the served student's class probabilities for the record, or null when no
     *                student is served yet (or the sampler does not look at it)
     * @return {@link Selection#UNIFORM} or {@link Selection#UNCERTAIN} to annotate it, null to leave it
     */
    Selection choose(String id, double[] student);

    /** Whether {@link #choose} uses the student's probabilities: if not, the caller need not compute them. */
    boolean needsStudent();

    /**
     * Told, for each record chosen {@link Selection#UNIFORM} while a student was served, whether
     * the student's class was the ensemble's.
     */
    default void agreed(final boolean agreed) {
    }

    /** The share of training records it aims to annotate now. */
    double budget();
}
