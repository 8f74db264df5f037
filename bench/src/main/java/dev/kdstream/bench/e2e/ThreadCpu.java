package dev.kdstream.bench.e2e;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time by thread role over a phase, native time included: what JFR's execution samples cannot
 * show, because a thread inside an ND4J GEMM is in native code and is not sampled. Thread CPU
 * comes from the OS through {@link ThreadMXBean}; the process total from
 * {@link OperatingSystemMXBean}, so the JVM's own threads (GC, JIT) appear as the remainder.
 *
 * <p>Threads are grouped by {@link #role}: the name with application ids and instance numbers
 * taken out, so the seven broker request handlers are one row.
 */
final class ThreadCpu {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("-\\d+$");

    /** The process's CPU that no Java thread accounts for: GC, the JIT compilers, the VM thread. */
    static final String JVM_ROLE = "JVM (GC, JIT, other)";

    private final Map<Long, Long> threadNanos;
    private final Map<Long, String> names;
    private final long processNanos;
    private final long wallNanos;
    private final long gcMillis;
    private final long jitMillis;

    private ThreadCpu(final Map<Long, Long> threadNanos, final Map<Long, String> names, final long processNanos,
                      final long wallNanos, final long gcMillis, final long jitMillis) {
        this.threadNanos = threadNanos;
        this.names = names;
        this.processNanos = processNanos;
        this.wallNanos = wallNanos;
        this.gcMillis = gcMillis;
        this.jitMillis = jitMillis;
    }

    /** The CPU every live thread and the process have used so far. */
    static ThreadCpu snapshot() {
        return snapshot(Map.of(), Map.of());
    }

    /**
     * As {@link #snapshot()}, keeping the last figures of threads in {@code earlier} that have
     * ended since: a thread that finishes inside a phase (the producer's) still counts.
     */
    private static ThreadCpu snapshot(final Map<Long, Long> earlierNanos, final Map<Long, String> earlierNames) {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<Long, Long> nanos = new HashMap<>(earlierNanos);
        final Map<Long, String> names = new HashMap<>(earlierNames);
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            final long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                nanos.put(info.getThreadId(), cpu);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        final long process = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        final long gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
        final long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        return new ThreadCpu(nanos, names, process, System.nanoTime(), gcMillis, jitMillis);
    }

    /**
     * Snapshots every {@code periodMillis} on a daemon thread until closed, so that threads which
     * start and end inside the span are counted up to their last sample (at most one period of
     * their CPU is missed).
     */
    static final class Recorder implements AutoCloseable {
        private final ThreadCpu first = snapshot();
        private volatile ThreadCpu latest = first;
        private final Thread sampler;

        Recorder(final long periodMillis) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    latest = snapshot(latest.threadNanos, latest.names);
                    try {
                        Thread.sleep(periodMillis);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            }, "kd-bench-cpu-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        /** Stops sampling; returns the first snapshot and the last (taken now). */
        ThreadCpu[] stop() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
            return new ThreadCpu[] {first, snapshot(latest.threadNanos, latest.names)};
        }

        @Override
        public void close() {
            sampler.interrupt();
        }
    }

    /**
     * CPU used between {@code before} and this snapshot, in cores (1.0 = one core busy the whole
     * time), by role, largest first, with "JVM (GC, JIT, other)" as the process's remainder.
     */
    Map<String, Double> coresSince(final ThreadCpu before) {
        return coresByRole(before.threadNanos, threadNanos, names, processNanos - before.processNanos,
                wallNanos - before.wallNanos);
    }

    /**
     * The pure part of {@link #coresSince}: per-thread CPU deltas (a thread absent before started
     * in between and counts from zero; one absent after ended and is not counted) summed by role and
     * divided by the wall time.
     */
    static Map<String, Double> coresByRole(final Map<Long, Long> before, final Map<Long, Long> after,
                                           final Map<Long, String> names, final long processDelta,
                                           final long wallDelta) {
        final double wall = Math.max(1, wallDelta);
        final Map<String, Double> byRole = new HashMap<>();
        long threadsTotal = 0;
        for (final Map.Entry<Long, Long> e : after.entrySet()) {
            final long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            threadsTotal += used;
            byRole.merge(role(names.get(e.getKey())), used / wall, Double::sum);
        }
        byRole.put(JVM_ROLE, Math.max(0, processDelta - threadsTotal) / wall);
        final Map<String, Double> sorted = new LinkedHashMap<>();
        byRole.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Wall time spent in GC pauses between the two snapshots, as a share of the span. */
    double gcShareSince(final ThreadCpu before) {
        return (gcMillis - before.gcMillis) * 1e6 / Math.max(1, wallNanos - before.wallNanos);
    }

    /**
     * The JIT compilers' time in compilations between the two snapshots over the wall time: their
     * elapsed time (what the JVM reports), so an upper bound on the cores they used.
     */
    double jitCoresSince(final ThreadCpu before) {
        return (jitMillis - before.jitMillis) * 1e6 / Math.max(1, wallNanos - before.wallNanos);
    }

    /** Wall time between the two snapshots. */
    double secondsSince(final ThreadCpu before) {
        return (wallNanos - before.wallNanos) / 1e9;
    }

    /** The process's CPU between the two snapshots, in cores. */
    double processCoresSince(final ThreadCpu before) {
        return (processNanos - before.processNanos) / (double) Math.max(1, wallNanos - before.wallNanos);
    }

    /**
     * A thread's name without what differs between instances of one role: application ids and
     * instance numbers ("-3").
     */
    static String role(final String threadName) {
        String role = UUID.matcher(threadName).replaceAll("");
        role = role.replace("--", "-");
        role = TRAILING_NUMBER.matcher(role).replaceAll("");
        return role;
    }
}
