package dev.kdstream.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.factory.Nd4j;

/** What every benchmark prints first: the machine, the JVM, and how ND4J runs on it. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static String describe() {
        final var env = Nd4j.getExecutioner().getEnvironmentInformation();
        return String.format(Locale.ROOT,
                "machine: %d cores, %s %s; JVM %s (%s), heap max %d MB; ND4J backend %s, OMP_NUM_THREADS=%s, "
                        + "OPENBLAS_CORETYPE=%s, blas %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20, Nd4j.getBackend().getClass().getSimpleName(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"), env.getOrDefault("blas.vendor", "?"));
    }

    /** The command that started this JVM (java, its flags and classpath), to start a sibling. */
    public static List<String> javaCommand() {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }
}
