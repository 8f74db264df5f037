package dev.kdstream.student.trainer;

import java.util.Arrays;

import dev.kdstream.model.definition.LabelMatrix;
import dev.kdstream.model.kernel.StudentOptimizer;

/**
 * The rows waiting for a model's next optimiser step: scaled features, soft targets (distilled
 * student) and labels ({@link LabelMatrix#UNLABELLED} for none), as the arrays
 * {@link StudentOptimizer#fit} takes. Reused across steps.
 */
public final class MicroBatch {

    private final int capacity;
    private final int classes;
    private final boolean soft;
    private final float[][] features;
    private final float[][] targets;
    private final int[] labels;
    private int size;

    /** @param soft whether rows carry soft targets (the distilled student) or hard labels only */
    public MicroBatch(final int capacity, final int classes, final boolean soft) {
        this.capacity = capacity;
        this.classes = classes;
        this.soft = soft;
        this.features = new float[capacity][];
        this.targets = soft ? new float[capacity][] : null;
        this.labels = new int[capacity];
    }

    /**
     * @param softTargets ignored for a hard-label batch; null for a record the teacher did not
     *                    annotate (its row trains on the hard term only)
     */
    public void add(final float[] scaledFeatures, final double[] softTargets, final int label) {
        if (size == capacity) {
            throw new IllegalStateException("micro-batch is full: train on it first");
        }
        features[size] = scaledFeatures;
        if (soft && softTargets == null) {
            targets[size] = null;
        } else if (soft) {
            final float[] q = new float[classes];
            for (int c = 0; c < classes; c++) {
                q[c] = (float) softTargets[c];
            }
            targets[size] = q;
        }
        labels[size] = label;
        size++;
    }

    public boolean full() {
        return size == capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** The scaled feature rows, for an optimiser step. */
    public float[][] featureRows() {
        return Arrays.copyOf(features, size);
    }

    /** The soft-target rows (a null row: none for that record), or null for a hard-label batch. */
    public float[][] softTargetRows() {
        return soft ? Arrays.copyOf(targets, size) : null;
    }

    /** One label per row, {@link LabelMatrix#UNLABELLED} for none. */
    public int[] labelArray() {
        return Arrays.copyOf(labels, size);
    }

    public void clear() {
        Arrays.fill(features, 0, size, null);
        if (soft) {
            Arrays.fill(targets, 0, size, null);
        }
        size = 0;
    }
}
