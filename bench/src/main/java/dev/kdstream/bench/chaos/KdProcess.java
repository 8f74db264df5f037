package dev.kdstream.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ./kd} command as its own OS process, with its own environment and log file, that can
 * be killed (SIGKILL), stopped (SIGTERM) and started again with the same settings.
 */
final class KdProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private long startedNanos;
    /** Where the last start's lines begin in the log. */
    private long logOffset;
    private int starts;

    /**
     * @param heap the JVM's -Xmx, e.g. {@code 512m}
     * @param args the {@code ./kd} arguments, e.g. {@code teacher serve}
     */
    KdProcess(final String name, final KdRuntime runtime, final String heap, final String logLevel,
              final List<String> args, final Map<String, String> env, final Path log) {
        this.name = name;
        this.command = runtime.command(args);
        final Map<String, String> all = new HashMap<>(runtime.environment(heap, logLevel));
        all.putAll(env);
        this.env = Map.copyOf(all);
        this.log = log;
    }

    String name() {
        return name;
    }

    synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            logOffset = Files.exists(log) ? Files.size(log) : 0;
            // the time as the services' own log lines show it, to read a restart's timeline against
            Files.writeString(log, "=== start " + (++starts) + " of " + name + " at "
                            + LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            startedNanos = System.nanoTime();
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** SIGKILL: no shutdown hook, no leave-group, open transactions left open. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** SIGTERM, then waits for the shutdown hooks; SIGKILL if they take longer than {@code seconds}. */
    synchronized void stop(final long seconds) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    /** Waits for a process that ends by itself (a one-off command); its exit code, or -1 on timeout. */
    int awaitExit(final long seconds) throws InterruptedException {
        final Process p;
        synchronized (this) {
            p = process;
        }
        return p.waitFor(seconds, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Exit code of a process that stopped by itself, for the report. */
    synchronized String exitDescription() {
        return process == null ? "never started" : process.isAlive() ? "running" : "exit " + process.exitValue();
    }

    synchronized long startedNanos() {
        return startedNanos;
    }

    Path log() {
        return log;
    }

    /** What the process wrote since its last start (the log keeps every start's lines). */
    String logSinceStart() throws IOException {
        final long from;
        synchronized (this) {
            from = logOffset;
        }
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            channel.position(from);
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * How {@code ./kd} is run: the script itself (its JVM flags and class data sharing archive), on
     * the JDK running this harness, and never building: under {@code ./mvnw verify} a build from the
     * script would run inside Maven's own.
     */
    record KdRuntime(Path kd, String javaHome) {

        static KdRuntime of(final Path repoRoot) {
            final Path launcherTarget = repoRoot.resolve("launcher/target");
            if (!Files.exists(launcherTarget.resolve("runtime-classpath.txt"))
                    || !Files.exists(launcherTarget.resolve("launcher-0.1.0-SNAPSHOT.jar"))) {
                throw new IllegalStateException("no launcher build in " + launcherTarget
                        + ": run './mvnw -q -DskipTests package' (or './kd --help') first");
            }
            return new KdRuntime(repoRoot.resolve("kd"), System.getProperty("java.home"));
        }

        List<String> command(final List<String> args) {
            final List<String> c = new ArrayList<>(List.of(kd.toString()));
            c.addAll(args);
            return c;
        }

        /** The environment {@code ./kd} takes its heap, log level and extra JVM flags from. */
        Map<String, String> environment(final String heap, final String logLevel) {
            final StringBuilder javaOpts = new StringBuilder();
            if (!"warn".equals(logLevel)) {
                // the launcher keeps Kafka's own narration (clients, and the broker's kafka.* side) at
                // error level unless asked
                for (final String logger : List.of("org.apache.kafka", "kafka", "kafka.server.ReplicaManager")) {
                    javaOpts.append("-Dorg.slf4j.simpleLogger.log.").append(logger).append('=').append(logLevel)
                            .append(' ');
                }
            }
            return Map.of("JAVA_HOME", javaHome, "KD_NO_BUILD", "1", "KD_HEAP", heap, "KD_LOG_LEVEL", logLevel,
                    "KD_JAVA_OPTS", javaOpts.toString().trim());
        }
    }
}
