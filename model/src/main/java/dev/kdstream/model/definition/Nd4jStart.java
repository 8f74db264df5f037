package dev.kdstream.model.definition;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Starts ND4J (its native libraries and OpenBLAS, 1.5-2 s on this project's 2-core machines) on a
 * daemon thread, so that a service's Kafka setup overlaps it instead of waiting for it: the first
 * model the service loads then finds ND4J ready, or waits only for the rest of its start (the JVM
 * runs a class's initialisation once, and other threads wait for it).
 */
public final class Nd4jStart {

    private Nd4jStart() {
    }

    public static void inBackground() {
        final Thread thread = new Thread(() -> Nd4j.scalar(0f), "kd-nd4j-start");
        thread.setDaemon(true);
        thread.start();
    }
}
