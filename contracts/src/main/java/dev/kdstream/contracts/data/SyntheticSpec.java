package dev.kdstream.contracts.data;

/**
 * The parameters of scikit-learn's {@code make_classification}, with its fixed choices
 * {@code shift=0, scale=1, hypercube=True, shuffle=True, weights=None}. Invalid combinations are
 * rejected here, with scikit-learn's wording, so a bad config fails before any data is made.
 *
 * @param samples          number of rows
 * @param features         total number of columns
 * @param informative      columns that carry the class signal
 * @param redundant        random linear combinations of the informative columns
 * @param repeated         copies of random informative or redundant columns
 * @param classes          number of classes
 * @param clustersPerClass Gaussian clusters per class, each at its own hypercube vertex
 * @param classSep         half the hypercube's side: larger means easier
 * @param flipY            fraction of labels replaced by a random class (label noise)
 * @param seed             random seed; the same spec always gives the same data
 */
public record SyntheticSpec(int samples, int features, int informative, int redundant, int repeated,
                            int classes, int clustersPerClass, double classSep, double flipY, long seed) {

    public SyntheticSpec {
        require(samples > 0, "samples must be positive, got " + samples);
        require(features > 0, "features must be positive, got " + features);
        require(informative > 0, "informative must be positive, got " + informative);
        require(redundant >= 0, "redundant must be >= 0, got " + redundant);
        require(repeated >= 0, "repeated must be >= 0, got " + repeated);
        require((long) informative + redundant + repeated <= features,
                "Number of informative, redundant and repeated features must sum to less than or equal"
                        + " the number of total features (" + informative + " + " + redundant + " + "
                        + repeated + " > " + features + ")");
        require(classes >= 2, "classes must be at least 2, got " + classes);
        require(clustersPerClass > 0, "clustersPerClass must be positive, got " + clustersPerClass);
        // Each cluster sits on its own vertex of the informative hypercube, which has 2^informative.
        final long vertices = informative >= 62 ? Long.MAX_VALUE : 1L << informative;
        require((long) classes * clustersPerClass <= vertices,
                "classes(" + classes + ") * clustersPerClass(" + clustersPerClass
                        + ") must be smaller or equal 2**informative(" + informative + ")=" + vertices);
        require(Double.isFinite(classSep) && classSep >= 0, "classSep must be a finite number >= 0, got " + classSep);
        require(flipY >= 0 && flipY <= 1, "flipY must be in [0, 1], got " + flipY);
    }

    /** The tutorial's data: {@code make_classification(5000, 20, n_informative=10, n_redundant=5, random_state=42)}. */
    public static SyntheticSpec seedDefaults() {
        return new SyntheticSpec(5000, 20, 10, 5, 0, 2, 2, 1.0, 0.01, 42L);
    }

    public SyntheticSpec withSeed(final long newSeed) {
        return new SyntheticSpec(samples, features, informative, redundant, repeated, classes, clustersPerClass,
                classSep, flipY, newSeed);
    }

    /** Columns that are pure noise: what is left after informative, redundant and repeated. */
    public int useless() {
        return features - informative - redundant - repeated;
    }

    /** Number of Gaussian clusters; fails loudly rather than overflow for absurd specs. */
    public int clusters() {
        return Math.multiplyExact(classes, clustersPerClass);
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
