package dev.kdstream.client.produce.stream;

import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Random;

import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.contracts.records.FeatureRecord;

/**
 * The sequence of feature records a dataset becomes: {@code repeat} passes over the training
 * rows, each in a fresh shuffled order (PyTorch's {@code DataLoader(shuffle=True)}), with holdout
 * records either mixed in (a share of the training rows, labelled in every pass) or, given an
 * explicit holdout dataset, sent whole after each training pass, so the last holdout pass is
 * scored by the newest model.
 *
 * <p>Ids are {@code p<pass>-<row>} for training records and {@code h<pass>-<row>} for holdout
 * records: pass from 0, row = the row of the dataset it came from, so every id is unique and
 * points back at its data.
 *
 * <p>Deterministic for a given seed. Iterating materialises one pass's order (an int per row),
 * never the records themselves; each {@link #iterator()} starts again from the first record.
 */
public final class FeatureStream implements Iterable<FeatureMessage> {

    /** Salts, so that changing one option does not change the random choices of the others. */
    private static final long SHUFFLE_SALT = 1;
    private static final long LABEL_SALT = 2;
    private static final long HOLDOUT_SALT = 3;

    private final Dataset train;
    private final Dataset holdout;
    private final StreamOptions options;
    /** A change of concept, or null. */
    private final Drift drift;
    /** Per training row: sent with its label. */
    private final boolean[] labelled;
    /** Per training row: a holdout record (only with a holdout fraction). */
    private final boolean[] heldOut;

    private FeatureStream(final Dataset train, final Dataset holdout, final StreamOptions options, final Drift drift) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training records in " + train.source());
        }
        if (holdout != null && holdout.size() > 0 && holdout.width() != train.width()) {
            throw new IllegalArgumentException("holdout data " + holdout.source() + " has " + holdout.width()
                    + " features per record, the training data " + train.source() + " has " + train.width());
        }
        if (holdout != null && options.holdoutFraction() > 0) {
            throw new IllegalArgumentException("a holdout fraction needs no explicit holdout data: give one or the other");
        }
        this.train = train;
        this.holdout = holdout;
        this.options = options;
        this.drift = drift;
        final int n = train.size();
        this.heldOut = firstOfPermutation(n, (int) Math.round(n * options.holdoutFraction()),
                new Random(salted(options.seed(), HOLDOUT_SALT)), new boolean[n]);
        int trainingRows = 0;
        for (final boolean h : heldOut) {
            trainingRows += h ? 0 : 1;
        }
        if (trainingRows == 0) {
            throw new IllegalArgumentException("holdout fraction " + options.holdoutFraction() + " leaves no training"
                    + " records out of " + n);
        }
        this.labelled = labelledRows(heldOut, trainingRows, options);
    }

    /** The training data only; holdout records, if any, come from {@link StreamOptions#holdoutFraction()}. */
    public static FeatureStream of(final Dataset train, final StreamOptions options) {
        return new FeatureStream(train, null, options, null);
    }

    /** Training passes, each followed by the whole {@code holdout} dataset. */
    public static FeatureStream of(final Dataset train, final Dataset holdout, final StreamOptions options) {
        return new FeatureStream(train, holdout, options, null);
    }

    /** The training rows it streams (a {@link Drift} measures them). */
    public Dataset trainingData() {
        return train;
    }

    /** The same stream with {@code change} from its record {@link Drift#at()} on. */
    public FeatureStream drifting(final Drift change) {
        return new FeatureStream(train, holdout, options, change);
    }

    /** Records in each pass: the training data (holdout share included) plus any explicit holdout data. */
    public long passSize() {
        return (long) train.size() + (holdout == null ? 0 : holdout.size());
    }

    /** Records the stream yields in all, or -1 when it is endless. */
    public long size() {
        final long cap = options.count();
        if (options.repeat() == 0) {
            return cap > 0 ? cap : -1;
        }
        final long total = passSize() * options.repeat();
        return cap > 0 ? Math.min(cap, total) : total;
    }

    public StreamOptions options() {
        return options;
    }

    /** Training rows sent with their label (in each pass). */
    public int labelledRows() {
        int k = 0;
        for (final boolean l : labelled) {
            k += l ? 1 : 0;
        }
        return k;
    }

    /** Holdout records in each pass. */
    public int holdoutRows() {
        if (holdout != null) {
            return holdout.size();
        }
        int k = 0;
        for (final boolean h : heldOut) {
            k += h ? 1 : 0;
        }
        return k;
    }

    /** One line for a console: what is sent, how often, how much in all. */
    public String describe() {
        final int holdoutRows = holdoutRows();
        final int trainingRows = train.size() - (holdout == null ? holdoutRows : 0);
        final StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d training records (%d labelled) from %s", trainingRows, labelledRows(),
                train.source()));
        if (holdout != null) {
            s.append(String.format(Locale.ROOT, " + %d holdout records from %s after each pass", holdoutRows,
                    holdout.source()));
        } else if (holdoutRows > 0) {
            s.append(String.format(Locale.ROOT, " + %d of its rows as holdout", holdoutRows));
        }
        if (options.repeat() == 0) {
            s.append(options.count() > 0 ? ", as many passes as it takes" : ", endless passes");
        } else {
            s.append(", ").append(options.repeat()).append(options.repeat() == 1 ? " pass" : " passes");
        }
        final long size = size();
        s.append(size < 0 ? "" : String.format(Locale.ROOT, ": %d records", size));
        if (drift != null) {
            s.append("; drift: ").append(drift);
        }
        return s.toString();
    }

    @Override
    public Iterator<FeatureMessage> iterator() {
        return new Passes();
    }

    /** Walks pass after pass: the shuffled training rows, then the explicit holdout rows. */
    private final class Passes implements Iterator<FeatureMessage> {

        private final Random shuffle = new Random(salted(options.seed(), SHUFFLE_SALT));
        private final int[] order = new int[train.size()];
        /** Each row's features printed as JSON once, for every later pass (lazily). */
        private final byte[][] trainJson = new byte[train.size()][];
        private final byte[][] holdoutJson = holdout == null ? null : new byte[holdout.size()][];
        private int pass;
        private int position;
        private boolean inHoldout;
        private long emitted;

        Passes() {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            shuffleInPlace(order, shuffle);
        }

        @Override
        public boolean hasNext() {
            if (options.count() > 0 && emitted >= options.count()) {
                return false;
            }
            skipEmptyPhases();
            return options.repeat() == 0 || pass < options.repeat();
        }

        @Override
        public FeatureMessage next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            final FeatureMessage m;
            if (inHoldout) {
                final int row = position++;
                m = new FeatureMessage("h" + pass + "-" + row, holdout.features()[row], holdout.labels()[row],
                        FeatureRecord.HOLDOUT, printed(holdoutJson, holdout.features(), row));
            } else {
                final int row = order[position++];
                final boolean h = heldOut[row];
                m = new FeatureMessage((h ? "h" : "p") + pass + "-" + row, train.features()[row],
                        h || labelled[row] ? Integer.valueOf(train.labels()[row]) : null,
                        h ? FeatureRecord.HOLDOUT : FeatureRecord.TRAIN, printed(trainJson, train.features(), row));
            }
            final long index = emitted++;
            return drift == null ? m : drift.apply(index, m);
        }

        private static byte[] printed(final byte[][] cache, final double[][] rows, final int row) {
            if (cache[row] == null) {
                cache[row] = FeatureMessage.featuresJson(rows[row]);
            }
            return cache[row];
        }

        /** Moves past a finished training phase or holdout phase (or an empty holdout set). */
        private void skipEmptyPhases() {
            while (options.repeat() == 0 || pass < options.repeat()) {
                if (!inHoldout && position < order.length || inHoldout && position < holdout.size()) {
                    return;
                }
                if (!inHoldout && holdout != null) {
                    inHoldout = true;
                } else {
                    inHoldout = false;
                    pass++;
                    shuffleInPlace(order, shuffle);
                }
                position = 0;
            }
        }
    }

    private static boolean[] labelledRows(final boolean[] heldOut, final int trainingRows, final StreamOptions options) {
        final int[] candidates = new int[trainingRows];
        int k = 0;
        for (int row = 0; row < heldOut.length; row++) {
            if (!heldOut[row]) {
                candidates[k++] = row;
            }
        }
        final boolean[] chosen = firstOfPermutation(trainingRows,
                (int) Math.round(trainingRows * options.labelledFraction()),
                new Random(salted(options.seed(), LABEL_SALT)), new boolean[trainingRows]);
        final boolean[] labelled = new boolean[heldOut.length];
        for (int i = 0; i < trainingRows; i++) {
            labelled[candidates[i]] = chosen[i];
        }
        return labelled;
    }

    /** Marks {@code k} of {@code n} positions, chosen uniformly at random. */
    private static boolean[] firstOfPermutation(final int n, final int k, final Random rng, final boolean[] marks) {
        final int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffleInPlace(p, rng);
        for (int i = 0; i < k; i++) {
            marks[p[i]] = true;
        }
        return marks;
    }

    /** Fisher-Yates. */
    private static void shuffleInPlace(final int[] a, final Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    private static long salted(final long seed, final long salt) {
        return seed + 0x9E3779B97F4A7C15L * salt;
    }
}
