package dev.kdstream.teacher.budget;

import dev.kdstream.contracts.records.Selection;

/**
 * Uniform draws at a budget that moves with the student: JITNet's rule (Mullapudi et al., ICCV
 * 2019), which runs its teacher less often while the student keeps up with it. After every
 * {@link #WINDOW} records annotated while a student was served, agreement at or above the target
 * halves the budget (down to the floor), below it doubles it (up to 1).
 */
public final class AdaptiveSampler implements Sampler {

    /** Annotated records per decision: enough that one disagreement in 200 moves agreement by 0.5 pt. */
    static final int WINDOW = 200;

    private final double floor;
    private final double target;
    private double budget;
    private int seen;
    private int agreements;

    /**
     * @param start  the budget it starts at
     * @param floor  the lowest it goes, in (0, start]
     * @param target the agreement it holds the student to
     */
    public AdaptiveSampler(final double start, final double floor, final double target) {
        if (!(floor > 0 && floor <= start)) {
            throw new IllegalArgumentException("the floor must be in (0, the starting budget " + start + "], got "
                    + floor);
        }
        this.budget = start;
        this.floor = floor;
        this.target = target;
    }

    @Override
    public Selection choose(final String id, final double[] student) {
        return UniformDraw.below(id, budget) ? Selection.UNIFORM : null;
    }

    @Override
    public boolean wantsAgreement() {
        return true;
    }

    @Override
    public void agreed(final boolean agreed) {
        seen++;
        if (agreed) {
            agreements++;
        }
        if (seen == WINDOW) {
            budget = (double) agreements / seen >= target ? Math.max(floor, budget / 2) : Math.min(1.0, budget * 2);
            seen = 0;
            agreements = 0;
        }
    }

    @Override
    public double budget() {
        return budget;
    }
}
