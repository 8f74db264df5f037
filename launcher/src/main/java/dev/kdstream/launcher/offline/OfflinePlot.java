package dev.kdstream.launcher.offline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Unit;
import dev.kdstream.dashboard.report.ChartSpec;
import dev.kdstream.model.eval.KnowledgeRecovered;
import dev.kdstream.model.eval.Stats;

/**
 * The offline experiment's learning curves, for {@code ./kd offline --plot}: the test accuracy of
 * the ensemble and both students after every epoch (mean over seeds), knowledge recovered with its
 * 95 % interval (over the seeds' test records, as the summary computes it), and agreement. Each
 * epoch is scored by the model kernel's forward pass, the summary by DL4J's: where two logits tie to
 * float rounding the last point and the summary can differ by a record.
 */
final class OfflinePlot {

    /** Knowledge recovered's axis, as on the live page. */
    private static final Panel.Range RECOVERED_AXIS = new Panel.Range(-1, 2);
    private static final String X = "records trained (epochs x training split)";

    private OfflinePlot() {
    }

    static List<ChartSpec> charts(final List<RunResult> runs) {
        final int epochs = runs.get(0).curve().epochs();
        final double[] x = new double[epochs];
        final double[] ensemble = new double[epochs];
        final double[] distilled = new double[epochs];
        final double[] baseline = new double[epochs];
        final double[] distilledAgreement = new double[epochs];
        final double[] baselineAgreement = new double[epochs];
        final double[] recovered = new double[epochs];
        final double[] low = new double[epochs];
        final double[] high = new double[epochs];
        final double ensembleMean = Stats.of(runs.stream().mapToDouble(RunResult::ensembleAcc).toArray()).mean();
        for (int e = 0; e < epochs; e++) {
            final int epoch = e;
            x[e] = (double) (e + 1) * runs.get(0).curve().recordsPerEpoch();
            ensemble[e] = ensembleMean;
            distilled[e] = mean(runs, r -> r.curve().distilled().get(epoch).accuracy());
            baseline[e] = mean(runs, r -> r.curve().baseline().get(epoch).accuracy());
            distilledAgreement[e] = mean(runs, r -> r.curve().distilled().get(epoch).agreement());
            baselineAgreement[e] = mean(runs, r -> r.curve().baseline().get(epoch).agreement());
            final KnowledgeRecovered k = RunResult.Outcomes.recovered(runs.stream().map(r -> new RunResult.Outcomes(
                    r.outcomes().ensemble(), r.curve().distilled().get(epoch).correct(),
                    r.curve().baseline().get(epoch).correct())).toList());
            recovered[e] = k.hasShare() ? k.share() : Double.NaN;
            low[e] = k.lower();
            high[e] = k.upper();
        }
        final String seeds = runs.size() == 1 ? "1 seed" : "mean of " + runs.size() + " seeds";
        final List<ChartSpec> charts = new ArrayList<>();
        charts.add(new ChartSpec("accuracy", "Test accuracy after each epoch", seeds, X, Unit.PERCENT, List.of(
                new ChartSpec.Line("ensemble", x, ensemble, false),
                new ChartSpec.Line("distilled", x, distilled, false),
                new ChartSpec.Line("baseline", x, baseline, false)), null));
        charts.add(new ChartSpec("recovered", "Knowledge recovered after each epoch",
                "(distilled - baseline) / (ensemble - baseline) on the test records, dashed: its 95 % interval, "
                        + "a gap where undefined", X, Unit.PERCENT, List.of(
                new ChartSpec.Line("recovered", x, recovered, false),
                new ChartSpec.Line("95% low", x, low, true),
                new ChartSpec.Line("95% high", x, high, true)), RECOVERED_AXIS));
        charts.add(new ChartSpec("agreement", "Agreement with the ensemble after each epoch", seeds, X, Unit.PERCENT,
                List.of(new ChartSpec.Line("distilled", x, distilledAgreement, false),
                        new ChartSpec.Line("baseline", x, baselineAgreement, false)), null));
        return charts;
    }

    /** The summary's figures as the report's table. */
    static Map<String, String> figures(final OfflineSummary summary, final List<RunResult> runs) {
        final Map<String, String> figures = new LinkedHashMap<>();
        figures.put("seeds", Integer.toString(runs.size()));
        figures.put("ensemble (test accuracy)", percent(runs, RunResult::ensembleAcc));
        figures.put("distilled student", percent(runs, RunResult::distilledAcc));
        figures.put("baseline student", percent(runs, RunResult::baselineAcc));
        figures.put("knowledge recovered", summary.recovery().describe());
        return figures;
    }

    private static String percent(final List<RunResult> runs, final ToDoubleFunction<RunResult> f) {
        final Stats s = Stats.of(runs.stream().mapToDouble(f).toArray());
        return runs.size() == 1 ? Unit.PERCENT.format(s.mean())
                : Unit.PERCENT.format(s.mean()) + " +- " + String.format(Locale.ROOT, "%.2f pt", 100 * s.std());
    }

    private static double mean(final List<RunResult> runs, final ToDoubleFunction<RunResult> f) {
        return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
