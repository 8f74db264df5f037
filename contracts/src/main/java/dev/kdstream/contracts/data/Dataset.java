package dev.kdstream.contracts.data;

import java.util.Arrays;

/**
 * An in-memory labelled dataset: one row of raw (unscaled) features per record and its class
 * index in {@code 0..numClasses-1}. Width and class count come from the data, never from code.
 *
 * @param source     where the rows came from, for messages ("train.csv", "synthetic(seed=42)")
 * @param features   rows of equal width
 * @param labels     one class index per row
 * @param numClasses number of classes C (at least max(label) + 1)
 */
public record Dataset(String source, double[][] features, int[] labels, int numClasses) {

    public Dataset {
        if (features.length != labels.length) {
            throw new IllegalArgumentException(source + ": " + features.length + " rows but "
                    + labels.length + " labels");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException(source + ": needs at least 2 classes, has " + numClasses);
        }
    }

    public int size() {
        return labels.length;
    }

    /** Number of feature columns (0 for an empty dataset). */
    public int width() {
        return features.length == 0 ? 0 : features[0].length;
    }

    /** The rows at {@code indices}, in that order (rows are shared, not copied). */
    public Dataset rows(final int[] indices) {
        final double[][] x = new double[indices.length][];
        final int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            x[i] = features[indices[i]];
            y[i] = labels[indices[i]];
        }
        return new Dataset(source, x, y, numClasses);
    }

    /** The same rows with a larger class count, so that train and test agree on C. */
    public Dataset withNumClasses(final int classes) {
        return new Dataset(source, features, labels, classes);
    }

    @Override
    public String toString() {
        return "Dataset[" + source + ", " + size() + " x " + width() + ", " + numClasses + " classes]";
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Dataset d && source.equals(d.source) && numClasses == d.numClasses
                && Arrays.deepEquals(features, d.features) && Arrays.equals(labels, d.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(features) + Arrays.hashCode(labels);
    }
}
