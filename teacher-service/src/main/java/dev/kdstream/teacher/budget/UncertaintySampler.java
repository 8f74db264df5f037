package dev.kdstream.teacher.budget;

import dev.kdstream.contracts.records.Selection;

/**
 * The records the served student is least sure of ({@link Uncertainty#margin}), plus a uniform
 * share of the budget ({@code explore}): a student confidently wrong is only found by records it is
 * not asked about, and the honest metrics stand on the uniform ones.
 *
 * <p>Calibrated online: the threshold is the quantile of the recent records' uncertainty that
 * leaves the uncertain share of the budget above it, so the realised share follows the budget as
 * the student grows surer. Until a student is served, and until the threshold has
 * {@link #MIN_HISTORY} records to stand on, it draws uniformly at the whole budget.
 */
public final class UncertaintySampler implements Sampler {

    /** Recent uncertainties the threshold is a quantile of. */
    static final int HISTORY = 2048;
    /** Records between two sorts of the history. */
    static final int RESORT_EVERY = 64;
    /** Fewer recent records than this and the quantile means little. */
    static final int MIN_HISTORY = 256;

    private final double budget;
    private final double uniformShare;
    /** The share of the records not drawn uniformly that should be chosen by uncertainty. */
    private final double uncertainShare;
    private final RecentQuantile recent = new RecentQuantile(HISTORY, RESORT_EVERY);

    /** @param explore the share of {@code budget} drawn uniformly, in [0, 1] */
    public UncertaintySampler(final double budget, final double explore) {
        this.budget = budget;
        this.uniformShare = budget * explore;
        this.uncertainShare = uniformShare >= 1 ? 0 : (budget - uniformShare) / (1 - uniformShare);
    }

    @Override
    public Selection choose(final String id, final double[] student) {
        final double draw = UniformDraw.of(id);
        if (draw < uniformShare) {
            return Selection.UNIFORM;
        }
        if (student == null) {
            return draw < budget ? Selection.UNIFORM : null;
        }
        final double u = Uncertainty.margin(student);
        recent.add(u);
        if (recent.size() < MIN_HISTORY) {
            return draw < budget ? Selection.UNIFORM : null;
        }
        return u > recent.quantile(1 - uncertainShare) ? Selection.UNCERTAIN : null;
    }

    @Override
    public boolean looksAtStudent() {
        return true;
    }

    @Override
    public double budget() {
        return budget;
    }
}
