package dev.kdstream.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.Pointer;

/**
 * The process's memory at one moment: resident set size (what the OS charges the process), the
 * Java heap, and ND4J's off-heap buffers (JavaCPP's count of what it allocated).
 *
 * @param seconds        since the soak started
 * @param residentBytes  VmRSS from /proc/self/status
 * @param heapUsed       Java heap in use
 * @param heapCommitted  Java heap the JVM holds from the OS (part of the RSS, used or not)
 * @param offHeap        bytes JavaCPP allocated and has not freed (ND4J's arrays)
 */
record MemorySample(double seconds, long residentBytes, long heapUsed, long heapCommitted, long offHeap) {

    private static final Path STATUS = Path.of("/proc/self/status");

    static MemorySample now(final double seconds) {
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new MemorySample(seconds, readResident(), heap.getUsed(), heap.getCommitted(), Pointer.totalBytes());
    }

    /** VmRSS of this process, or -1 where there is no /proc (not Linux). */
    static long readResident() {
        try {
            return parseResident(Files.readString(STATUS));
        } catch (IOException e) {
            return -1;
        }
    }

    /** The VmRSS line of a /proc/PID/status text ("VmRSS:   123456 kB"), in bytes; -1 if absent. */
    static long parseResident(final String status) {
        for (final String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                final String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                final long value = Long.parseLong(parts[0]);
                if (parts.length < 2 || !parts[1].equalsIgnoreCase("kB")) {
                    throw new IllegalArgumentException("unexpected VmRSS unit in: " + line);
                }
                return value * 1024;
            }
        }
        return -1;
    }
}
