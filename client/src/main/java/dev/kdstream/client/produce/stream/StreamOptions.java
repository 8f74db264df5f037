package dev.kdstream.client.produce.stream;

/**
 * How a dataset becomes a stream of feature records.
 *
 * @param repeat           passes over the training data, each shuffled anew; 0 = endless
 * @param labelledFraction share (0..1) of training rows sent with their label; the others are
 *                         always sent with label null (the same rows in every pass)
 * @param holdoutFraction  share (0..1) of training rows set aside as holdout, when there is no
 *                         explicit holdout dataset; 0 = none
 * @param count            at most this many records in all; 0 = no cap
 * @param seed             seeds the shuffles and the choice of labelled and holdout rows
 */
public record StreamOptions(int repeat, double labelledFraction, double holdoutFraction, long count, long seed) {

    /** The seed experiment's seed. */
    public static final long DEFAULT_SEED = 42L;
    /** Passes over the training split in {@code ./kd stack}: enough traffic to watch the student learn. */
    public static final int STACK_REPEAT = 50;

    public StreamOptions {
        if (repeat < 0) {
            throw new IllegalArgumentException("repeat must be >= 0 (0 = endless), got " + repeat);
        }
        if (!(labelledFraction >= 0 && labelledFraction <= 1)) {
            throw new IllegalArgumentException("labelled fraction must be in [0, 1], got " + labelledFraction);
        }
        if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
            throw new IllegalArgumentException("holdout fraction must be in [0, 1), got " + holdoutFraction);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0 (0 = no cap), got " + count);
        }
    }

    /** One pass, every record labelled, no holdout share, no cap. */
    public static StreamOptions defaults() {
        return new StreamOptions(1, 1.0, 0.0, 0, DEFAULT_SEED);
    }

    public StreamOptions withRepeat(final int passes) {
        return new StreamOptions(passes, labelledFraction, holdoutFraction, count, seed);
    }

    public StreamOptions withLabelledFraction(final double fraction) {
        return new StreamOptions(repeat, fraction, holdoutFraction, count, seed);
    }

    public StreamOptions withHoldoutFraction(final double fraction) {
        return new StreamOptions(repeat, labelledFraction, fraction, count, seed);
    }

    public StreamOptions withCount(final long cap) {
        return new StreamOptions(repeat, labelledFraction, holdoutFraction, cap, seed);
    }

    public StreamOptions withSeed(final long newSeed) {
        return new StreamOptions(repeat, labelledFraction, holdoutFraction, count, newSeed);
    }
}
