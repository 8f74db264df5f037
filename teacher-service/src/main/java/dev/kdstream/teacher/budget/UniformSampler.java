package dev.kdstream.teacher.budget;

import dev.kdstream.contracts.records.Selection;

/** Each training record with probability = budget: the control the other samplers are held to. */
public final class UniformSampler implements Sampler {

    private final double budget;

    public UniformSampler(final double budget) {
        this.budget = budget;
    }

    @Override
    public Selection choose(final String id, final double[] student) {
        return UniformDraw.below(id, budget) ? Selection.UNIFORM : null;
    }

    @Override
    public double budget() {
        return budget;
    }
}
