package dev.kdstream.model.kernel;

import java.util.Arrays;

/**
 * Pure functions on logits and probability vectors, in double precision. The reference for the
 * ND4J implementation of the loss, and the maths of the live metrics (agreement, KL to teacher).
 */
public final class Probabilities {

    private Probabilities() {
    }

    /** softmax(z / T), computed stably (the maximum is subtracted before exp). */
    public static double[] softmax(final double[] logits, final double temperature) {
        final double[] p = new double[logits.length];
        softmax(logits, temperature, p);
        return p;
    }

    /** softmax(z / T) into {@code p}, which may be {@code logits} itself. */
    public static void softmax(final double[] logits, final double temperature, final double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (final double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < logits.length; i++) {
            p[i] /= sum;
        }
    }

    public static double[] softmax(final double[] logits) {
        return softmax(logits, 1.0);
    }

    /** log softmax(z / T), without forming the probabilities first (no log of an underflowed 0). */
    public static double[] logSoftmax(final double[] logits, final double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (final double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (final double z : logits) {
            sum += Math.exp((z - max) / temperature);
        }
        final double logSum = Math.log(sum);
        final double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (logits[i] - max) / temperature - logSum;
        }
        return out;
    }

    /** KL(p || softmax(z / T)) from the logits z, stable for confident z. */
    public static double klDivergenceToLogits(final double[] p, final double[] logits, final double temperature) {
        checkSameLength(p, logits);
        final double[] logQ = logSoftmax(logits, temperature);
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                kl += p[i] * (Math.log(p[i]) - logQ[i]);
            }
        }
        return kl;
    }

    /** Index of the largest value; the first one on ties. */
    public static int argmax(final double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The distillation loss of one example and its gradient with respect to the logits, for soft
     * targets q and a one-hot (or all-zero, for "unlabelled") row y:
     * <pre>
     *   loss  = alpha * T^2 * KL(q || softmax(z/T)) + (1 - alpha) * CE(y, softmax(z))
     *   dL/dz = alpha * T * (softmax(z/T) - q) + (1 - alpha) * (sum(y) * softmax(z) - y)
     * </pre>
     * The soft term is skipped when alpha = 0 (teachers and baseline), the hard one when alpha = 1.
     * A null q is a record the teacher did not annotate: plain cross-entropy, at weight 1, as the
     * baseline learns. At 1 - alpha, a student annotated on a small share of its records learns
     * mostly from that share, and under a teacher budget fell below the baseline
     * (docs/benchmarks.md, "The teacher budget").
     *
     * @param q        soft targets, or null for none
     * @param gradient receives dL/dz (length C)
     * @return the loss
     */
    public static double distillationLossAndGradient(final double[] z, final double[] q, final double[] y,
                                                     final double temperature, final double alpha,
                                                     final double[] gradient) {
        distillationGradient(z, q, y, temperature, alpha, gradient);
        double loss = 0;
        if (alpha > 0 && q != null) {
            loss += alpha * temperature * temperature * klDivergenceToLogits(q, z, temperature);
        }
        final double hard = q == null ? 1.0 : 1 - alpha;
        if (hard > 0 && Arrays.stream(y).sum() > 0) {
            final double[] logP = logSoftmax(z, 1.0);
            double ce = 0;
            for (int i = 0; i < z.length; i++) {
                ce -= y[i] * logP[i];
            }
            loss += hard * ce;
        }
        return loss;
    }

    /**
     * The gradient of {@link #distillationLossAndGradient} alone, for the training loops that discard
     * the loss: softmax computed directly, without the logs the loss needs, and without allocating
     * (the trainer spent a tenth of its time in the loss's exps and logs, {@code ./kd bench e2e --jfr}).
     *
     * @param q        soft targets, or null for none (cross-entropy alone, at weight 1)
     * @param gradient receives dL/dz (length C)
     */
    public static void distillationGradient(final double[] z, final double[] q, final double[] y,
                                            final double temperature, final double alpha, final double[] gradient) {
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : z) {
            max = Math.max(max, v);
        }
        if (alpha > 0 && q != null) {
            // softmax(z / T): the exps in the gradient first, then normalised in place
            double sum = 0;
            for (int i = 0; i < z.length; i++) {
                gradient[i] = Math.exp((z[i] - max) / temperature);
                sum += gradient[i];
            }
            for (int i = 0; i < z.length; i++) {
                gradient[i] = alpha * temperature * (gradient[i] / sum - q[i]);
            }
        } else {
            Arrays.fill(gradient, 0.0);
        }
        final double hard = q == null ? 1.0 : 1 - alpha;
        if (hard > 0) {
            double labelled = 0;
            for (final double v : y) {
                labelled += v;
            }
            if (labelled > 0) {
                // softmax(z); its exps again rather than a scratch array
                double sum = 0;
                for (final double v : z) {
                    sum += Math.exp(v - max);
                }
                for (int i = 0; i < z.length; i++) {
                    gradient[i] += hard * (labelled * (Math.exp(z[i] - max) / sum) - y[i]);
                }
            }
        }
    }

    private static void checkSameLength(final double[] a, final double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
    }
}
