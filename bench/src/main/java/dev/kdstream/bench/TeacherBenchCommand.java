package dev.kdstream.bench;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Teacher ensemble inference, DL4J against the fused GEMM forward pass, plus one large SGEMM as
 * the machine's limit, all in one run (JMH, one fresh JVM per benchmark, one after the other).
 */
@Command(name = "teacher", mixinStandardHelpOptions = true,
        description = "Ensemble inference (12 teachers 20-256-128-64-2): records/s and GFLOP/s of DL4J's "
                + "TeacherEnsemble.logits vs EnsembleForward at each batch size, against one "
                + "1024^3 SGEMM through the same ND4J backend, in one run (JMH).",
        footer = {"", "Example:", "  ./kd bench teacher", "  ./kd bench teacher --batches 256,1024 --iterations 3"})
public final class TeacherBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JmhOptions jmh;

    @Option(names = "--batches", split = ",", paramLabel = "N,N", defaultValue = "1,64,256,1024",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Override
    public Integer call() throws RunnerException {
        final PrintWriter out = spec.commandLine().getOut();
        for (final int b : batches) {
            if (b < 1 || b > 1024) {
                throw new IllegalArgumentException("batch sizes must be in 1..1024, got " + b);
            }
        }
        final Collection<RunResult> results = jmh.runAnnounced(out, 2 * batches.size() + 1,
                List.of(TeacherInferenceBenchmark.class, SingleGemmBenchmark.class), "batch",
                batches.stream().map(String::valueOf).toList());
        double gemm = Double.NaN;
        final Map<Integer, double[]> perBatch = new LinkedHashMap<>();
        batches.forEach(b -> perBatch.put(b, new double[] {Double.NaN, Double.NaN}));
        for (final RunResult r : results) {
            final String method = r.getParams().getBenchmark();
            final double callsPerSecond = r.getPrimaryResult().getScore();
            if (method.endsWith(".sgemm")) {
                gemm = callsPerSecond * SingleGemmBenchmark.FLOPS_PER_CALL;
                continue;
            }
            final int batch = Integer.parseInt(r.getParams().getParam("batch"));
            perBatch.get(batch)[method.endsWith(".dl4j") ? 0 : 1] = callsPerSecond * batch;
        }
        final double flopsPerRecord = Models.ensembleFlopsPerRecord();
        out.printf(Locale.ROOT, "single SGEMM %dx%dx%d: %.1f GFLOP/s; ensemble: %,d FLOP per record%n",
                SingleGemmBenchmark.SIZE, SingleGemmBenchmark.SIZE, SingleGemmBenchmark.SIZE, gemm / 1e9,
                (long) flopsPerRecord);
        out.printf(Locale.ROOT, "%6s %12s %12s %8s %10s %10s %9s %9s%n", "batch", "dl4j rec/s", "fused rec/s",
                "fused/dl4j", "dl4j GF/s", "fused GF/s", "dl4j/gemm", "fused/gemm");
        for (final Map.Entry<Integer, double[]> e : perBatch.entrySet()) {
            final double dl4j = e.getValue()[0];
            final double fused = e.getValue()[1];
            out.printf(Locale.ROOT, "%6d %12.0f %12.0f %8.2fx %10.1f %10.1f %8.0f%% %8.0f%%%n", e.getKey(), dl4j, fused,
                    fused / dl4j, dl4j * flopsPerRecord / 1e9, fused * flopsPerRecord / 1e9,
                    100 * dl4j * flopsPerRecord / gemm, 100 * fused * flopsPerRecord / gemm);
        }
        out.flush();
        return 0;
    }
}
