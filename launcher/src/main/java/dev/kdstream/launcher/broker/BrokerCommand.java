package dev.kdstream.launcher.broker;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kdstream.contracts.service.Service;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd broker}: the embedded KRaft broker as a long-running process of its own, so the
 * services can run as separate processes without Docker, as in Kafka's quickstart.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a real Kafka broker (Apache Kafka's own KRaft broker and controller, one node) on localhost "
                    + "until Ctrl-C or SIGTERM, which stop it cleanly (a controlled shutdown). Its topics and "
                    + "offsets stay in --data-dir across restarts; delete that directory to start fresh.",
            "",
            "Then run the services in other terminals: './kd teacher serve', './kd student', './kd produce'. "
                    + "They create the topics they need."},
        footer = {"", "Examples:",
            "  ./kd broker",
            "  ./kd broker --port 19092 --data-dir /tmp/kd-broker",
            "  KD_BOOTSTRAP_SERVERS=localhost:19092 ./kd teacher serve"})
public final class BrokerCommand implements Callable<Integer> {

    /** {@code --data-dir}'s default. */
    public static final String DEFAULT_DATA_DIR = ".kd/broker";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port on localhost; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DEFAULT_DATA_DIR,
            description = "The broker's log directory, formatted on first use and kept (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** Counted down once the broker has stopped, so the shutdown hook can wait for it. */
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter out = spec.commandLine().getOut();
        checkPort(port);
        checkDataDir(dataDir);
        final boolean reused = Files.exists(dataDir.resolve("meta.properties"));
        final CountDownLatch stopRequested = new CountDownLatch(1);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDir)) {
            Service.onShutdown("kd-broker-shutdown", () -> {
                stopRequested.countDown();
                try {
                    // the JVM halts when the hooks return: wait for the broker's controlled shutdown
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            final String bootstrap = broker.bootstrapServers();
            out.println("kd broker: Kafka (KRaft, one node) on " + bootstrap + ", data in " + dataDir.toAbsolutePath()
                    + (reused ? " (reused)" : " (new)"));
            out.println("Connect with --bootstrap-servers " + bootstrap + " or KD_BOOTSTRAP_SERVERS=" + bootstrap
                    + ", e.g. in other terminals:");
            out.println("  ./kd teacher serve --bootstrap-servers " + bootstrap);
            out.println("  ./kd student --bootstrap-servers " + bootstrap);
            out.println("  ./kd produce --bootstrap-servers " + bootstrap + " --count 10000");
            out.println("Ctrl-C stops it; its data stays in " + dataDir + ".");
            out.flush();
            stopRequested.await();
            out.println("kd broker: stopping ...");
            out.flush();
        } finally {
            closed.countDown();
        }
        return 0;
    }

    /** A port in use would otherwise fail deep in the broker's start-up with a page of log. */
    static void checkPort(final int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("localhost"))) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " is in use (another broker or ./kd stack?): "
                    + "stop it or choose another with --port");
        }
    }

    static void checkDataDir(final Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use --data-dir " + dir + ": " + describe(e));
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("cannot use --data-dir " + dir + ": not writable");
        }
    }

    private static String describe(final IOException e) {
        return e instanceof java.nio.file.FileAlreadyExistsException ? "it is a file, not a directory"
                : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}
