package dev.kdstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.teacher.inference.EnsembleForward;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Ensemble inference, {@link EnsembleForward} against PyTorch, side by side in one
 * invocation: each round runs the PyTorch script (the seed's 12 teachers, one torch thread) as a
 * subprocess, then times the fused forward pass in this JVM (one OpenMP thread) with the same
 * method: warm-up, then single calls timed for a fixed time, median per batch.
 */
@Command(name = "teacher-vs-pytorch", mixinStandardHelpOptions = true,
        description = "Ensemble inference records/s (12 teachers 20-256-128-64-2): EnsembleForward vs "
                + "PyTorch (mean of 12 nn.Sequential logits, torch.set_num_threads(1)) at the same batches, "
                + "same warm-up and median method, in one run.",
        footer = {"", "Needs Debian's python3-torch (apt-get install python3-torch).", "", "Example:",
                "  ./kd bench teacher-vs-pytorch", "  ./kd bench teacher-vs-pytorch --batches 256,1024 --rounds 3"})
public final class TeacherVsPytorchBenchCommand implements Callable<Integer> {

    static final String SCRIPT = "teacher_inference_torch.py";
    private static final double TARGET = 1.3;

    @Spec
    CommandSpec spec;

    @Option(names = "--batches", split = ",", paramLabel = "N,N", defaultValue = "256,1024",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Rounds of PyTorch then fused, one after the other (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3",
            description = "Warm-up per batch size, both sides (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "3",
            description = "Timed calls per batch size, both sides (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--jvm-warmup", paramLabel = "SECONDS", defaultValue = "8",
            description = "One-off JIT warm-up of the fused pass before the first round; Python has no JIT "
                    + "(default: ${DEFAULT-VALUE}).")
    double jvmWarmup;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3",
            description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (final int b : batches) {
            if (b < 1 || b > 1024) {
                throw new IllegalArgumentException("batch sizes must be in 1..1024, got " + b);
            }
        }
        if (rounds < 1 || warmup < 0 || jvmWarmup < 0 || seconds <= 0) {
            throw new IllegalArgumentException("--rounds and --seconds must be positive, the warm-ups >= 0");
        }
        final PrintWriter out = spec.commandLine().getOut();
        requireTorch();
        out.println(MachineInfo.describe());
        out.flush();
        final Path script = Files.createTempFile("kd-bench-", ".py");
        try (InputStream in = TeacherVsPytorchBenchCommand.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the bench jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            final EnsembleForward fused = EnsembleForward.of(Models.ensemble(), 1024);
            warmUp(fused, jvmWarmup);
            final Map<Integer, List<Double>> ratios = new LinkedHashMap<>();
            batches.forEach(b -> ratios.put(b, new ArrayList<>()));
            out.printf(Locale.ROOT, "%5s %6s %14s %14s %9s%n", "round", "batch", "pytorch rec/s", "fused rec/s",
                    "fused/pt");
            for (int r = 1; r <= rounds; r++) {
                final JsonNode torch = runTorch(script);
                if (r == 1) {
                    out.printf(Locale.ROOT, "(torch %s, %d thread(s))%n", torch.path("torch").asText(),
                            torch.path("threads").asInt());
                }
                final Map<Integer, Double> pt = new LinkedHashMap<>();
                torch.path("results").forEach(n -> pt.put(n.path("batch").asInt(), n.path("records_per_s").asDouble()));
                for (final int b : batches) {
                    final double f = fusedRecordsPerSecond(fused, b);
                    final double t = pt.getOrDefault(b, Double.NaN);
                    ratios.get(b).add(f / t);
                    out.printf(Locale.ROOT, "%5d %6d %,14.0f %,14.0f %8.2fx%n", r, b, t, f, f / t);
                    out.flush();
                }
            }
            for (final Map.Entry<Integer, List<Double>> e : ratios.entrySet()) {
                final double m = Median.of(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
                out.printf(Locale.ROOT, "batch %d: median fused/pytorch %.2fx (target >= %.1fx: %s)%n", e.getKey(), m,
                        TARGET, m >= TARGET ? "met" : "not met");
            }
            out.flush();
            return 0;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Fails fast, before any warm-up, when the Python cannot import torch. */
    private void requireTorch() throws InterruptedException {
        final Process p;
        try {
            p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + python + " (" + e.getMessage()
                    + "): install python3 and python3-torch (apt-get install python3-torch), or use --python");
        }
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalArgumentException(python + " cannot import torch: apt-get install python3-torch "
                    + "(or use --python with one that has it)");
        }
    }

    private JsonNode runTorch(final Path script) throws IOException, InterruptedException {
        final List<String> command = List.of(python, script.toString(), "--batches",
                batches.stream().map(String::valueOf).collect(Collectors.joining(",")), "--threads", "1",
                "--warmup", Double.toString(warmup), "--seconds", Double.toString(seconds));
        final Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + python + " (" + e.getMessage()
                    + "): install python3 and python3-torch (apt-get install python3-torch), or use --python");
        }
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the PyTorch benchmark did not finish in 10 minutes");
        }
        if (p.exitValue() != 0) {
            if (output.contains("No module named 'torch'")) {
                throw new IllegalArgumentException(python + " has no torch: apt-get install python3-torch "
                        + "(or use --python with one that has it)");
            }
            throw new IllegalStateException("the PyTorch benchmark failed (exit " + p.exitValue() + "): " + output);
        }
        final String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        return Json.MAPPER.readTree(last);
    }

    /** The Python script's method: warm up, time single calls for a fixed time (>= 20 calls), median. */
    private double fusedRecordsPerSecond(final EnsembleForward fused, final int batch) {
        final INDArray x = Nd4j.randn(DataType.FLOAT, batch, Models.FEATURES);
        final long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() - warmEnd < 0) {
            fused.logits(x);
        }
        final List<Long> times = new ArrayList<>();
        final long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() - end < 0 || times.size() < 20) {
            final long t0 = System.nanoTime();
            fused.logits(x);
            times.add(System.nanoTime() - t0);
        }
        final double med = Median.of(times.stream().mapToDouble(Long::doubleValue).toArray());
        return batch / (med / 1e9);
    }

    /** JIT warm-up over the batch sizes in turn (docs/platform.md, "JIT warm-up"). */
    private void warmUp(final EnsembleForward fused, final double forSeconds) {
        final List<INDArray> inputs = batches.stream()
                .map(b -> Nd4j.randn(DataType.FLOAT, b, Models.FEATURES)).toList();
        final long end = System.nanoTime() + (long) (forSeconds * 1e9);
        while (System.nanoTime() - end < 0) {
            inputs.forEach(fused::logits);
        }
    }

    /** Runs the command outside the launcher: {@code java -cp ... dev.kdstream.bench.TeacherVsPytorchBenchCommand}. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new TeacherVsPytorchBenchCommand()).execute(args));
    }
}
