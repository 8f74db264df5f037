package dev.kdstream.launcher.offline;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.kdstream.model.eval.KnowledgeRecovered;
import dev.kdstream.model.eval.Stats;

/**
 * The runs of the offline experiment, summarised the seed's way: mean and spread of every metric
 * over seeds, and knowledge recovered computed from the means, with its interval over the test
 * records (per-seed recovery is mostly noise: on 1,000 test records one record is 0.1 point).
 */
public record OfflineSummary(List<RunResult> runs, long teacherParams, int teachers, long studentParams,
                             String data) {

    public Stats stats(final ToDoubleFunction<RunResult> metric) {
        return Stats.of(runs.stream().mapToDouble(metric).toArray());
    }

    /** Over the seeds whose ensemble beats their baseline (otherwise there is no gap to recover). */
    public Stats perSeedRecovery() {
        return Stats.of(runs.stream().map(RunResult::recovered).filter(KnowledgeRecovered::hasShare)
                .mapToDouble(KnowledgeRecovered::share).toArray());
    }

    /**
     * Knowledge recovered of the means over seeds, with its interval over the test records: per test
     * record, the seeds' mean of (ensemble - baseline) and of (distilled - baseline) correctness,
     * the records being what is sampled (the seeds share one test split).
     */
    public KnowledgeRecovered recovery() {
        return RunResult.Outcomes.recovered(runs.stream().map(RunResult::outcomes).toList());
    }

    public long ensembleParams() {
        return teacherParams * teachers;
    }

    /** The JSON document of {@code --json}, with the keys the issue names (accuracies as fractions). */
    public Map<String, Object> toJson() {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data);
        json.put("runs", runs.stream().map(r -> {
            final Map<String, Object> run = new LinkedHashMap<>();
            run.put("seed", r.seed());
            run.put("ensemble_acc", r.ensembleAcc());
            run.put("distilled_acc", r.distilledAcc());
            run.put("baseline_acc", r.baselineAcc());
            // null where the seed's ensemble does not beat its baseline: there is no gap to recover
            final KnowledgeRecovered recovery = r.recovered();
            run.put("recovery", recovery.hasShare() ? recovery.share() : null);
            run.put("agreement", r.agreement());
            run.put("kl_to_teacher", r.klToTeacher());
            run.put("timings_s", timings(r.timings()));
            return run;
        }).toList());
        json.put("mean", accuracies(true));
        json.put("std", accuracies(false));
        final KnowledgeRecovered recovery = recovery();
        json.put("recovery_of_means", recovery.hasShare() ? recovery.share() : null);
        json.put("recovery_interval", recovery.state() == KnowledgeRecovered.State.ESTIMATED
                ? List.of(recovery.lower(), recovery.upper()) : null);
        json.put("recovery_records", recovery.records());
        json.put("recovery_state", recovery.state().name().toLowerCase(Locale.ROOT));
        json.put("params", Map.of("teacher", teacherParams, "ensemble", ensembleParams(), "student", studentParams));
        json.put("compression", (double) ensembleParams() / studentParams);
        json.put("timings_s", timings(new RunResult.Timings(
                stats(r -> r.timings().teachers()).mean(), stats(r -> r.timings().softTargets()).mean(),
                stats(r -> r.timings().distill()).mean(), stats(r -> r.timings().baseline()).mean(),
                stats(r -> r.timings().total()).mean())));
        return json;
    }

    private Map<String, Object> accuracies(final boolean mean) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("ensemble_acc", pick(stats(RunResult::ensembleAcc), mean));
        m.put("distilled_acc", pick(stats(RunResult::distilledAcc), mean));
        m.put("baseline_acc", pick(stats(RunResult::baselineAcc), mean));
        return m;
    }

    private static double pick(final Stats s, final boolean mean) {
        return mean ? s.mean() : s.std();
    }

    private static Map<String, Object> timings(final RunResult.Timings t) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("teachers", t.teachers());
        m.put("soft_targets", t.softTargets());
        m.put("distill", t.distill());
        m.put("baseline", t.baseline());
        m.put("total", t.total());
        return m;
    }

    /** One line per finished seed, as it finishes. */
    public static void printRun(final PrintWriter out, final RunResult r) {
        out.printf(Locale.ROOT, "seed %-4d ensemble %6.2f%%  distilled %6.2f%%  baseline %6.2f%%  "
                        + "agreement %6.2f%%  KL %.4f  (%.1f s)%n", r.seed(), 100 * r.ensembleAcc(),
                100 * r.distilledAcc(), 100 * r.baselineAcc(), 100 * r.agreement(), r.klToTeacher(), r.timings().total());
    }

    /** The seed-style summary table. */
    public void print(final PrintWriter out) {
        final Stats e = stats(RunResult::ensembleAcc);
        final Stats d = stats(RunResult::distilledAcc);
        final Stats b = stats(RunResult::baselineAcc);
        out.println();
        out.printf(Locale.ROOT, "kd-stream offline: %s, %d seed%s%n", data, runs.size(), runs.size() == 1 ? "" : "s");
        out.println("-".repeat(66));
        out.printf(Locale.ROOT, "%-34s %8s %8s %7s %7s%n", "test accuracy", "mean", "std", "min", "max");
        row(out, "teacher ensemble (" + teachers + ")", e);
        row(out, "distilled student", d);
        row(out, "baseline student (hard labels)", b);
        out.printf(Locale.ROOT, "%-34s %7.2f pt%n", "gap (ensemble - baseline)", 100 * (e.mean() - b.mean()));
        out.printf(Locale.ROOT, "%-34s %7.2f pt%n", "distillation gain (distilled - base)", 100 * (d.mean() - b.mean()));
        out.printf(Locale.ROOT, "%-34s %s%n", "knowledge recovered (of the means)", recovery().describe());
        if (runs.size() > 1) {
            final Stats perSeed = perSeedRecovery();
            if (perSeed.n() == 0) {
                out.printf(Locale.ROOT, "%-34s %s%n", "knowledge recovered (per seed)",
                        "undefined: no seed's ensemble beats its baseline");
            } else {
                out.printf(Locale.ROOT, "%-34s %7.1f %% +- %.1f%s%n", "knowledge recovered (per seed)",
                        100 * perSeed.mean(), 100 * perSeed.std(), perSeed.n() == runs.size() ? ""
                                : " (" + perSeed.n() + " of " + runs.size()
                                + " seeds: undefined where the ensemble does not beat the baseline)");
            }
        }
        out.printf(Locale.ROOT, "%-34s %7.2f %%%n", "student-ensemble agreement", 100 * stats(RunResult::agreement).mean());
        out.printf(Locale.ROOT, "%-34s %8.4f%n", "mean KL(teacher || student) at T", stats(RunResult::klToTeacher).mean());
        out.println("-".repeat(66));
        out.printf(Locale.ROOT, "params: teacher %,d / ensemble %,d / student %,d  (%.1fx compression)%n",
                teacherParams, ensembleParams(), studentParams, (double) ensembleParams() / studentParams);
        out.printf(Locale.ROOT, "seconds per run (mean): teachers %.1f, soft targets %.2f, distill %.1f, "
                        + "baseline %.1f (side by side), total %.1f%n",
                stats(r -> r.timings().teachers()).mean(), stats(r -> r.timings().softTargets()).mean(),
                stats(r -> r.timings().distill()).mean(), stats(r -> r.timings().baseline()).mean(),
                stats(r -> r.timings().total()).mean());
    }

    private static void row(final PrintWriter out, final String name, final Stats s) {
        out.printf(Locale.ROOT, "%-34s %7.2f%% %8.2f %6.2f%% %6.2f%%%n", name, 100 * s.mean(), 100 * s.std(),
                100 * s.min(), 100 * s.max());
    }
}
