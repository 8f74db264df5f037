package dev.kdstream.contracts.service;

import java.io.ObjectInputFilter;

/**
 * Java deserialization refused in the whole JVM. kd-stream reads no Java-serialized data; DL4J's model
 * loader would (a {@code preprocessor.bin} entry), and model bytes come from a topic anyone with
 * write access can shape. The model reader refuses such entries first; this is the second wall,
 * for any path to {@code ObjectInputStream} that one missed.
 */
public final class JavaSerialization {

    private JavaSerialization() {
    }

    /**
     * Installs the JVM-wide filter that rejects every class (and so every object stream). Idempotent;
     * a filter set by {@code -Djdk.serialFilter} or by someone else first stays.
     */
    public static synchronized void refuseEverywhere() {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(info -> ObjectInputFilter.Status.REJECTED);
        }
    }
}
