package dev.kdstream.student.metrics;

import dev.kdstream.model.eval.KnowledgeRecovered;

/**
 * The three models scored on the same records: how many, each one's accuracy (NaN without
 * records), and the knowledge the distilled student recovered from the ensemble-baseline gap, with
 * its interval.
 */
public record Accuracies(long records, double teacher, double distilled, double baseline,
                         KnowledgeRecovered recovered) {

    public static final Accuracies NONE = of(new long[8]);

    /** From the count of records of each outcome pattern, {@link KnowledgeRecovered#pattern} order (read, not kept). */
    public static Accuracies of(final long[] patterns) {
        long n = 0;
        long teacher = 0;
        long distilled = 0;
        long baseline = 0;
        for (int p = 0; p < patterns.length; p++) {
            n += patterns[p];
            teacher += KnowledgeRecovered.ensembleRight(p) ? patterns[p] : 0;
            distilled += KnowledgeRecovered.distilledRight(p) ? patterns[p] : 0;
            baseline += KnowledgeRecovered.baselineRight(p) ? patterns[p] : 0;
        }
        return new Accuracies(n, share(teacher, n), share(distilled, n), share(baseline, n),
                KnowledgeRecovered.of(patterns));
    }

    private static double share(final long hits, final long n) {
        return n == 0 ? Double.NaN : (double) hits / n;
    }
}
