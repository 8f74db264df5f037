package dev.kdstream.client.produce.stream;

import java.util.Locale;

import dev.kdstream.contracts.data.Dataset;

/**
 * A change of concept from one record of a stream on: every record from {@code at} (counted from
 * the stream's first, holdout records included) is transformed. Abrupt, so that where it starts is
 * known and a detector's delay can be measured.
 *
 * @param at      the first record changed
 * @param classes the labels' range (a swap maps class c to c + 1 mod classes)
 * @param means   per feature, the training data's mean (the centre of a rotation)
 * @param stds    per feature, its standard deviation (the size of a shift)
 */
public record Drift(Kind kind, long at, int classes, double[] means, double[] stds) {

    /** The kinds of change. */
    public enum Kind {
        /** Class c's region becomes class c + 1's: every label moves on by one (the teacher is then wrong). */
        SWAP,
        /** Every feature moves by one standard deviation: the means shift, the labels stay. */
        SHIFT,
        /** Features (0, 1), (2, 3), ... turn by 90 degrees about the means: the informative directions rotate. */
        ROTATE;

        /** Parses {@code swap}, {@code shift} or {@code rotate}. */
        public static Kind of(final String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a drift is swap, shift or rotate, got '" + name + "'");
            }
        }
    }

    public Drift {
        if (at < 0) {
            throw new IllegalArgumentException("a drift starts at record 0 or later, got " + at);
        }
        means = means.clone();
        stds = stds.clone();
    }

    /** A drift of {@code kind} from record {@code at} of a stream over {@code train}'s rows. */
    public static Drift of(final Kind kind, final long at, final Dataset train) {
        final int width = train.width();
        final double[] means = new double[width];
        final double[] stds = new double[width];
        for (final double[] row : train.features()) {
            for (int j = 0; j < width; j++) {
                means[j] += row[j] / train.size();
            }
        }
        for (final double[] row : train.features()) {
            for (int j = 0; j < width; j++) {
                stds[j] += (row[j] - means[j]) * (row[j] - means[j]) / train.size();
            }
        }
        for (int j = 0; j < width; j++) {
            stds[j] = Math.sqrt(stds[j]);
        }
        return new Drift(kind, at, train.numClasses(), means, stds);
    }

    /** Record {@code index} of the stream, changed if it comes at or after {@link #at}. */
    FeatureMessage apply(final long index, final FeatureMessage m) {
        if (index < at) {
            return m;
        }
        return switch (kind) {
            case SWAP -> new FeatureMessage(m.id(), m.features(),
                    m.label() == null ? null : (m.label() + 1) % classes, m.split());
            case SHIFT -> {
                final double[] x = m.features().clone();
                for (int j = 0; j < x.length; j++) {
                    x[j] += stds[j];
                }
                yield new FeatureMessage(m.id(), x, m.label(), m.split());
            }
            case ROTATE -> {
                final double[] x = m.features().clone();
                for (int j = 0; j + 1 < x.length; j += 2) {
                    final double a = m.features()[j] - means[j];
                    final double b = m.features()[j + 1] - means[j + 1];
                    x[j] = means[j] - b;
                    x[j + 1] = means[j + 1] + a;
                }
                yield new FeatureMessage(m.id(), x, m.label(), m.split());
            }
        };
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " from record " + at;
    }
}
