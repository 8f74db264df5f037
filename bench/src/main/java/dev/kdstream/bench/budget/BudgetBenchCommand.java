package dev.kdstream.bench.budget;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.kdstream.bench.MachineInfo;
import dev.kdstream.bench.StackEnsembleOption;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.launcher.cli.DataOptions;
import dev.kdstream.launcher.offline.RunResult.Outcomes;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.eval.KnowledgeRecovered;
import dev.kdstream.model.eval.Stats;
import dev.kdstream.student.trainer.TrainerSetup;
import dev.kdstream.teacher.budget.TeacherBudget;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The teacher budget's sweep: for each sampler and budget, several runs of the stack's stream
 * through the pipeline's own decision and learning code ({@link BudgetRun}), and the holdout
 * accuracy of the last pass, mean and standard deviation over the runs, with knowledge recovered
 * and its interval over the runs' holdout outcomes.
 */
@Command(name = "budget", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Accuracy against teacher budget: for each sampler and budget, --runs runs of the './kd stack' "
                + "stream (the default data, 50 passes, the holdout split after each) through the teacher's sampler "
                + "and the trainer's code without Kafka; prints the last holdout pass's accuracies (mean +- std) and "
                + "knowledge recovered with its 95%% interval.",
        footer = {"", "Examples:", "  ./kd bench budget",
            "  ./kd bench budget --samplers uncertainty --budgets 1,0.1 --runs 2",
            "  ./kd bench budget --train bench/data/digits.csv    (10 classes)"})
public final class BudgetBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--budgets", paramLabel = "B,..", split = ",", defaultValue = "1,0.5,0.2,0.1,0.05",
            description = "Teacher budgets, each in (0, 1] (default: ${DEFAULT-VALUE}).")
    List<Double> budgets;

    @Option(names = "--samplers", paramLabel = "S,..", split = ",", defaultValue = "uniform,uncertainty,adaptive",
            description = "Samplers (default: ${DEFAULT-VALUE}).")
    List<String> samplers;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Runs per sampler and budget, each with its own shuffle and uniform draws "
                    + "(default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + StreamOptions.STACK_REPEAT,
            description = "Passes over the training split (default: ${DEFAULT-VALUE}, as ./kd stack).")
    int epochs;

    @Mixin
    StackEnsembleOption stack;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        if (runs < 1 || epochs < 1) {
            throw new IllegalArgumentException("--runs and --epochs must be >= 1");
        }
        final KdConfig defaults = KdConfig.defaults();
        final List<TeacherBudget> configs = new ArrayList<>();
        for (final String sampler : samplers) {
            for (final double b : budgets) {
                configs.add(new TeacherBudget(sampler, b, defaults.getDouble(ConfigKey.TEACHER_EXPLORE),
                        Math.min(b, defaults.getDouble(ConfigKey.TEACHER_BUDGET_FLOOR)),
                        defaults.getDouble(ConfigKey.TEACHER_AGREEMENT_TARGET)));
            }
        }
        out.println(MachineInfo.describe());
        final TrainTestSplit.Split split = data.load();
        final TeacherEnsemble ensemble = stack.load(split.train(), out);
        final TeacherLogits teacher = new TeacherLogits(ensemble, split.train(), split.test());
        final TrainerSetup setup = TrainerSetup.of(ensemble.manifest());
        final int checkpointEvery = defaults.getInt(ConfigKey.CHECKPOINT_EVERY_RECORDS);
        out.printf(Locale.ROOT, "stream: %s; %d runs per row; the served student a checkpoint (%,d records) "
                + "behind the trainer%n", FeatureStream.of(split.train(), split.test(), options(0)).describe(), runs,
                checkpointEvery);
        out.printf(Locale.ROOT, "%-11s %6s %9s %17s %17s %17s   %s%n", "sampler", "budget", "realised",
                "distilled %", "baseline %", "ensemble %", "knowledge recovered (95% CI)");
        out.flush();
        final Map<TeacherBudget, List<BudgetRun.Result>> results = new LinkedHashMap<>();
        for (final TeacherBudget config : configs) {
            final List<BudgetRun.Result> rs = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                // run 0 is exactly the stack's stream; the others shuffle differently and draw other records
                final FeatureStream stream = FeatureStream.of(split.train(), split.test(), options(run));
                rs.add(BudgetRun.run(stream, teacher, config, setup, run == 0 ? "" : "run" + run + "/",
                        checkpointEvery));
            }
            results.put(config, rs);
            out.println(row(config, rs));
            out.flush();
        }
        printPaired(out, results);
        return 0;
    }

    /**
     * Run i of every row saw the same stream and the same uniform draws: differences between rows,
     * run by run, cancel the run-to-run spread the columns above carry (1,000 holdout records: 0.1 pt
     * is one record).
     */
    private static void printPaired(final PrintWriter out, final Map<TeacherBudget, List<BudgetRun.Result>> results) {
        final List<BudgetRun.Result> all = results.entrySet().stream()
                .filter(e -> e.getKey().everything()).map(Map.Entry::getValue).findFirst().orElse(null);
        out.println();
        out.println("distilled holdout accuracy, paired by run (pt, mean +- std): against every record annotated, "
                + "and against uniform at the same budget");
        out.printf(Locale.ROOT, "%-11s %6s %17s %17s%n", "sampler", "budget", "- 100 %", "- uniform");
        for (final Map.Entry<TeacherBudget, List<BudgetRun.Result>> e : results.entrySet()) {
            final TeacherBudget config = e.getKey();
            final List<BudgetRun.Result> uniform = results.entrySet().stream()
                    .filter(u -> u.getKey().sampler().equals(TeacherBudget.UNIFORM)
                            && u.getKey().budget() == config.budget())
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            out.printf(Locale.ROOT, "%-11s %6.2f %17s %17s%n", config.sampler(), config.budget(),
                    all == null ? "-" : paired(e.getValue(), all),
                    uniform == null || config.sampler().equals(TeacherBudget.UNIFORM) ? "-"
                            : paired(e.getValue(), uniform));
        }
    }

    private static String paired(final List<BudgetRun.Result> a, final List<BudgetRun.Result> b) {
        final double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = 100 * (a.get(i).accuracy(a.get(i).holdout().distilled())
                    - b.get(i).accuracy(b.get(i).holdout().distilled()));
        }
        final Stats s = Stats.of(d);
        return String.format(Locale.ROOT, "%+.2f +- %.2f", s.mean(), s.std());
    }

    private StreamOptions options(final int run) {
        return StreamOptions.defaults().withRepeat(epochs).withSeed(StreamOptions.DEFAULT_SEED + run);
    }

    static String row(final TeacherBudget config, final List<BudgetRun.Result> rs) {
        final double[] realised = new double[rs.size()];
        final double[] distilled = new double[rs.size()];
        final double[] baseline = new double[rs.size()];
        final double[] ensemble = new double[rs.size()];
        final List<Outcomes> outcomes = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            final BudgetRun.Result r = rs.get(i);
            realised[i] = r.realised();
            distilled[i] = 100 * r.accuracy(r.holdout().distilled());
            baseline[i] = 100 * r.accuracy(r.holdout().baseline());
            ensemble[i] = 100 * r.accuracy(r.holdout().ensemble());
            outcomes.add(r.holdout());
        }
        final KnowledgeRecovered k = Outcomes.recovered(outcomes);
        return String.format(Locale.ROOT, "%-11s %6.2f %8.1f%% %17s %17s %17s   %s", config.sampler(),
                config.budget(), 100 * Stats.of(realised).mean(), meanStd(distilled), meanStd(baseline),
                meanStd(ensemble), k.describe());
    }

    private static String meanStd(final double[] v) {
        final Stats s = Stats.of(v);
        return String.format(Locale.ROOT, "%.2f +- %.2f", s.mean(), s.std());
    }
}
