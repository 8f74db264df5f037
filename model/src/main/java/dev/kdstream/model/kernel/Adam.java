package dev.kdstream.model.kernel;

/**
 * Adam over one flat float vector, computed as libnd4j's {@code adam_updater} kernel (the op DL4J's
 * {@code AdamUpdater} runs) computes it in float:
 * <pre>
 *   m = b1 m + g (1 - b1);  v = b2 v + g g (1 - b2)
 *   p -= m * lr sqrt(1 - b2^(t+1)) / (1 - b1^(t+1)) / (sqrt(v) + eps)
 * </pre>
 * t being the iteration count before the step (0 for the first one). The results are the op's,
 * bit for bit (a test checks it), so a model trained here and saved as a DL4J network goes on
 * training in DL4J as if DL4J had taken every step.
 *
 * <p>Why not the op itself: ND4J's fixed cost per op call is larger than the arithmetic of a
 * student's or a teacher group's whole update (docs/platform.md, "DL4J fixed cost per call").
 *
 * <p>The moments are this object's state; {@link #firstMoments} and {@link #secondMoments} expose them
 * for checkpoints. Not
 * thread-safe.
 */
public final class Adam {

    private float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float[] m;
    private final float[] v;

    public Adam(final float learningRate, final float beta1, final float beta2, final float epsilon,
                final int length) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new float[length];
        this.v = new float[length];
    }

    /** The step size from the next step on (a live change: the moments are kept). */
    public void learningRate(final float learningRate) {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    public float learningRate() {
        return learningRate;
    }

    /** One step: {@code params -= update(gradient)}; the gradient is the minibatch mean. */
    public void step(final float[] params, final float[] gradient, final int iteration) {
        step(params, gradient, 0, stepSize(iteration));
    }

    /**
     * One step on a slice of the parameters: {@code params[i]} with the moments at
     * {@code offset + i}, so parameters kept as rows share one Adam.
     *
     * @param stepSize {@link #stepSize(int)} of this step's iteration
     */
    public void step(final float[] params, final float[] gradient, final int offset, final float stepSize) {
        final float oneMinusB1 = 1.0f - beta1;
        final float oneMinusB2 = 1.0f - beta2;
        for (int i = 0; i < params.length; i++) {
            final float g = gradient[i];
            final float mi = beta1 * m[offset + i] + g * oneMinusB1;
            final float vi = beta2 * v[offset + i] + g * g * oneMinusB2;
            m[offset + i] = mi;
            v[offset + i] = vi;
            params[i] -= mi * stepSize / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    /** The step size of iteration {@code iteration} (0-based) with this Adam's settings. */
    public float stepSize(final int iteration) {
        return stepSize(learningRate, beta1, beta2, epsilon, iteration);
    }

    /** The first moments, live: a checkpoint reads them, a restore writes them. */
    public float[] firstMoments() {
        return m;
    }

    /** The second moments, live, like {@link #firstMoments}. */
    public float[] secondMoments() {
        return v;
    }

    /**
     * Adam's step size for iteration {@code iteration} (0-based), computed as libnd4j's kernel does:
     * {@code lr * sqrt<float>(1. - beta2^t) / (1.0 - beta1^t)}, the literals double, the result
     * float, and epsilon where that is NaN, zero or infinite.
     */
    public static float stepSize(final float learningRate, final float beta1, final float beta2,
                                 final float epsilon, final int iteration) {
        final float t = iteration + 1;
        final float beta1T = (float) Math.pow(beta1, t);
        final float beta2T = (float) Math.pow(beta2, t);
        final float sqrt = (float) Math.sqrt((float) (1.0 - beta2T));
        final float stepSize = (float) ((learningRate * sqrt) / (1.0 - beta1T));
        return Float.isNaN(stepSize) || stepSize == 0.0f || Float.isInfinite(stepSize) ? epsilon : stepSize;
    }
}
