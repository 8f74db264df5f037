package dev.kdstream.contracts.service;

/**
 * What every kd-stream service is to the code that runs it: started by its own static
 * {@code start(...)}, asked whether it is healthy (what {@code /health} answers), and closed.
 */
public interface Service extends AutoCloseable {

    /** Working, or about to be again (a rebalance, a restart from a checkpoint). */
    boolean healthy();

    /** Stops the service, finishing or committing its work; safe to call twice. */
    @Override
    void close();

    /**
     * Registers {@code stop} to run when the JVM shuts down (Ctrl-C, SIGTERM), on a thread named
     * {@code name} so a thread dump of a slow shutdown says what is stopping.
     *
     * @return the hook, for a caller that may want to remove it
     */
    static Thread onShutdown(final String name, final Runnable stop) {
        final Thread hook = new Thread(stop, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
