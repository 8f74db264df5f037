package dev.kdstream.launcher.secure;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.HangingTransactionSweeper;
import dev.kdstream.contracts.service.Service;
import dev.kdstream.embedded.secure.BrokerSecurity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd secure}: what {@code ./kd broker --secure} does for itself, for a broker that is not
 * embedded (the secured compose file's): make the credentials, then, once the broker runs, its
 * SCRAM users, topics and ACLs.
 */
@Command(name = "secure", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {SecureCommand.Init.class, SecureCommand.Setup.class, SecureCommand.Sweep.class},
        description = {
            "Secures a Kafka broker that is not embedded, as docker-compose.secure.yml does, in two steps: "
                    + "'init' before the broker starts, 'setup' once it runs; 'sweep' then ends hanging "
                    + "transactions, which the services may not. './kd broker --secure' and './kd stack --secure' "
                    + "do all three for the embedded broker."},
        footer = {"", "Examples:",
            "  ./kd secure init --dir /secure --host kafka --for-containers",
            "  ./kd secure setup --dir /secure --internal-bootstrap kafka:29094 --bootstrap-servers kafka:19092"})
public final class SecureCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new IllegalArgumentException("say 'init', 'setup' or 'sweep' (see ./kd secure --help)");
    }

    @Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Makes, in --dir (keeping what is there), a local CA, the broker's certificate, a client "
                    + "certificate and a SCRAM password per service, for the broker to load.")
    static final class Init implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Where the credentials are kept.")
        Path dir;

        @Option(names = "--host", paramLabel = "HOST", split = ",",
                description = "Names clients reach the broker by, for its certificate (localhost and 127.0.0.1 "
                        + "are always in).")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--for-containers",
                description = "Make the files readable by every user, for a Docker volume shared by containers "
                        + "that run as different users (never for a host directory).")
        boolean forContainers;

        @Override
        public Integer call() {
            final BrokerSecurity security = SecureCluster.credentials(dir, false, hosts, forContainers);
            final PrintWriter out = spec.commandLine().getOut();
            out.println("kd secure: credentials in " + dir.toAbsolutePath() + " for " + security.users()
                    + "; the broker's certificate names " + SecureCluster.certificateNames(hosts));
            out.flush();
            return 0;
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true, sortOptions = false,
            description = "On the running broker, as the broker itself (TLS with its certificate, on its internal "
                    + "listener, where it is a super user): makes the SCRAM users, the topics and the services' "
                    + "ACLs, then writes a client config file per user into --dir.")
    static final class Setup implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", required = true,
                description = "The credentials './kd secure init' made.")
        Path dir;

        @Option(names = "--internal-bootstrap", paramLabel = "HOST:PORT", required = true,
                description = "The broker's internal TLS listener.")
        String internalBootstrap;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                description = "The SASL_SSL listener the services connect to, written into their config files "
                        + "(default: bootstrap.servers).")
        String bootstrapServers;

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "2",
                description = "Partitions of the topics it creates (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--clients-dir", paramLabel = "DIR",
                description = "Write each service's config file and the CA certificate into DIR/<user>/ (one "
                        + "Docker volume per service, so that no service can read another's password), instead "
                        + "of into --dir.")
        Path clientsDir;

        @Option(names = "--clients-mount", paramLabel = "PATH", defaultValue = "/secure",
                description = "With --clients-dir: where a service sees its directory's parent; its config file "
                        + "names its CA certificate as PATH/<user>/ca.pem (default: ${DEFAULT-VALUE}).")
        Path clientsMount;

        @Override
        public Integer call() {
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            }
            final BrokerSecurity security = BrokerSecurity.load(dir, ServiceAcls.PRINCIPALS);
            final KdConfig config = KdConfig.fromEnvironment(null, bootstrapServers == null ? Map.of()
                    : Map.of(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrapServers));
            requireReachable(internalBootstrap);
            try {
                // a refusal is said in one line by UserErrors
                security.makeUsers(internalBootstrap);
            } catch (IllegalStateException e) {
                if (e.getCause() instanceof TimeoutException) {
                    throw new EnvironmentException("no answer from " + internalBootstrap + " within 30 s: is "
                            + "--internal-bootstrap the broker's TLS listener that takes its own certificate?", e);
                }
                throw e;
            }
            SecureCluster.grant(security.brokerClientProperties(internalBootstrap), config.topics(), partitions,
                    (short) config.getInt(ConfigKey.TOPIC_REPLICATION_FACTOR));
            final String bootstrap = config.get(ConfigKey.BOOTSTRAP_SERVERS);
            final List<Path> files = new ArrayList<>();
            for (final String user : security.users()) {
                // the administrator's file stays with the credentials
                files.add(clientsDir == null || user.equals(BrokerSecurity.ADMIN)
                        ? security.writeClientConfig(user, bootstrap)
                        : security.writeClientConfig(user, bootstrap, clientsDir.resolve(user),
                                clientsMount.resolve(user)));
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.println("kd secure: users " + security.users() + ", topics " + config.topics().all()
                    + " and the services' ACLs are on the broker; client config files: " + files);
            out.flush();
            return 0;
        }
    }

    /** A broker that is not there is said at once, not after the Admin client's timeout. */
    static void requireReachable(final String hostPort) {
        final int colon = hostPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), 2_000);
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentException("cannot connect to --internal-bootstrap " + hostPort + " (" + e.getMessage()
                    + "): is the broker running, and is that its TLS listener?", e);
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Until Ctrl-C or SIGTERM: every 5 s, looks for hanging transactions on the exactly-once "
                    + "services' output and aborts those their coordinator decided to abort, as an administrator "
                    + "(--config or KD_CONFIG: the administrator's client config file, e.g. kd-admin.properties). "
                    + "On a secured cluster the services may not do it themselves.")
    static final class Sweep implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The administrator's config file (default: KD_CONFIG).")
        Path configFile;

        @Override
        public Integer call() throws InterruptedException {
            final KdConfig config = KdConfig.fromEnvironment(configFile, Map.of());
            final CountDownLatch stop = new CountDownLatch(1);
            final List<HangingTransactionSweeper> sweepers = SecureCluster.sweepers(
                    config.kafkaProperties(), config.topics(),
                    new SimpleMeterRegistry());
            // closed in the hook itself: the JVM does not wait for main's finally after SIGTERM
            Service.onShutdown("kd-sweep-shutdown", () -> {
                sweepers.forEach(HangingTransactionSweeper::close);
                stop.countDown();
            });
            final PrintWriter out = spec.commandLine().getOut();
            out.println("kd secure sweep: looking for hanging transactions on " + config.topics().softTargets() + ", "
                    + config.topics().featuresDlq() + " and " + config.topics().predictions() + " at "
                    + config.get(ConfigKey.BOOTSTRAP_SERVERS) + ". Ctrl-C to stop.");
            out.flush();
            try {
                stop.await();
            } finally {
                sweepers.forEach(HangingTransactionSweeper::close);
            }
            return 0;
        }
    }
}
