package dev.kdstream.launcher.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** What every benchmark prints first: the machine, the JVM, and how ND4J runs on it. */
public final class MachineInfo {

    private MachineInfo() {
    }

    /** One copy, in the bench module: {@link dev.kdstream.bench.MachineInfo#describe()}. */
    public static String describe() {
        return dev.kdstream.bench.MachineInfo.describe();
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
