package dev.kdstream.model.kernel;

/**
 * The distillation loss written out term by term, as the design states it: the oracle the loss's
 * gradient and {@code DistillationLoss} are tested against. Nothing that runs needs the loss value
 * apart from its gradient, so it lives with the tests.
 */
public final class LossOracle {

    private LossOracle() {
    }

    /** KL(p || q) = sum p log(p / q), with 0 log 0 = 0. Infinite where q = 0 < p. */
    public static double klDivergence(final double[] p, final double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("lengths differ: " + p.length + " vs " + q.length);
        }
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                kl += p[i] * (Math.log(p[i]) - Math.log(q[i]));
            }
        }
        return kl;
    }

    /** -log softmax(z)[label]. */
    public static double crossEntropy(final int label, final double[] logits) {
        return -Probabilities.logSoftmax(logits, 1.0)[label];
    }

    /**
     * The per-example distillation loss of the design:
     * alpha * T^2 * KL(soft || softmax(z/T)) + (1 - alpha) * CE(label, softmax(z)).
     * A negative label means "unlabelled": the second term is dropped.
     */
    public static double distillationLoss(final double[] logits, final double[] soft, final int label,
                                          final double temperature, final double alpha) {
        final double kl = Probabilities.klDivergenceToLogits(soft, logits, temperature);
        final double ce = label < 0 ? 0.0 : crossEntropy(label, logits);
        return alpha * temperature * temperature * kl + (1 - alpha) * ce;
    }
}
