package dev.kdstream.bench;

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
}
