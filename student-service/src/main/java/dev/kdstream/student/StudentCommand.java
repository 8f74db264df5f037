package dev.kdstream.student;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.streams.KafkaStreams;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.kafka.KafkaAccess;
import dev.kdstream.contracts.metrics.MetricsServer;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.service.Service;
import dev.kdstream.student.serving.ServingService;
import dev.kdstream.student.trainer.TrainerSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "student", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the student-service: the online trainer (distilled student + hard-label baseline, trained "
                    + "from soft-targets, checkpointed to student-checkpoints) and the prediction server "
                    + "(features -> predictions with the newest checkpoint), with one /metrics and /health "
                    + "endpoint for both. Stops on Ctrl-C.",
            "",
            "The trainer resumes from its newest checkpoint (key: trainer.id); a trainer id without one starts "
                    + "from the beginning of soft-targets, so a second student (another --trainer-id, --hidden, "
                    + "--temperature, --alpha) learns from everything the teacher has annotated without running "
                    + "it again. It takes the ensemble's scaler from the ensemble model file, since soft-target "
                    + "features arrive raw.",
            "",
            "The server serves one trainer's distilled student (--serve, or live: ./kd control set "
                    + "server.student=ID) and runs the --shadow students on every record too, to "
                    + "shadow-predictions."},
        footer = {"", "Examples:",
            "  ./kd student",
            "  ./kd student --bootstrap-servers localhost:9092 --ensemble .kd/models/ensemble.kdm",
            "  ./kd student --role server          # another serving replica",
            "  ./kd student --role trainer --trainer-id small --hidden 16 --temperature 2 --metrics-port 9404 \\",
            "      --ensemble .kd/models/ensemble-<key>.kdm        # the one './kd stack' printed",
            "  ./kd student --role server --shadow small          # serve 'student', shadow 'small'",
            "  ./kd control set server.student=small               # then serve 'small'"})
public final class StudentCommand implements Callable<Integer> {

    /** Which parts of the service this process runs. */
    public enum Role {
        trainer, server, both;

        boolean trains() {
            return this != server;
        }

        boolean serves() {
            return this != trainer;
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see ConfigKey); KD_* "
            + "environment variables override it.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers "
            + "(default: bootstrap.servers, localhost:9092).")
    String bootstrapServers;

    @Option(names = "--ensemble", paramLabel = "FILE", description = "The ensemble model file the trainer takes "
            + "its scaler, shape, temperature and alpha from (default: ensemble.file, <model.dir>/ensemble.kdm).")
    Path ensemble;

    @Option(names = "--trainer-id", paramLabel = "ID", description = "The trainer's id: the key of its checkpoints, "
            + "and the student the server serves unless --serve says another (default: trainer.id, student).")
    String trainerId;

    @Option(names = "--hidden", paramLabel = "W[,W...]", description = "Hidden layer widths of a new trainer's "
            + "students (default: student.hidden, the tutorial's 64,32).")
    String hidden;

    @Option(names = "--temperature", paramLabel = "T", description = "T of the distilled student's soft term; soft "
            + "targets made at another T are recomputed from the teacher's logits (default: distillation.temperature, "
            + "the ensemble file's).")
    String temperature;

    @Option(names = "--alpha", paramLabel = "A", description = "Weight of the soft term, in [0, 1] (default: "
            + "distillation.alpha, the ensemble file's).")
    String alpha;

    @Option(names = "--from-beginning", description = "Retrain from the beginning of soft-targets with fresh "
            + "students even when this trainer id has checkpoints (numbered after them); a trainer id without "
            + "checkpoints always starts there. Servers serving this id take its new, young students at once: "
            + "serve another id meanwhile. It retrains at every start it is given to. A new --hidden needs a new "
            + "--trainer-id.")
    boolean fromBeginning;

    @Option(names = "--serve", paramLabel = "ID", description = "The trainer whose student the server serves "
            + "(default: server.student, else the trainer id).")
    String serve;

    @Option(names = "--shadow", paramLabel = "ID[,ID...]", description = "Trainers whose students the server also "
            + "runs on every record, to shadow-predictions (default: server.shadows, none).")
    String shadow;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Port of /metrics and /health (default: "
            + "metrics.port, 9402; a second student-service on one host needs another).")
    Integer metricsPort;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "both",
            description = "trainer, server or both (default: ${DEFAULT-VALUE}).")
    Role role;

    @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "Print a status line this often (default: ${DEFAULT-VALUE}; 0: never).")
    int statusEvery;

    @Override
    public Integer call() throws InterruptedException {
        if (statusEvery < 0) {
            throw new IllegalArgumentException("--status-every must be >= 0");
        }
        if (fromBeginning && !role.trains()) {
            throw new IllegalArgumentException("--from-beginning retrains a student: it needs --role trainer or both");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final KdConfig config = config();
        // before touching Kafka: a missing ensemble file is the likeliest user error
        final TrainerSetup setup = role.trains() ? TrainerService.setupFrom(config) : null;

        final ServiceMetrics metrics = new ServiceMetrics("student");
        final Running running = new Running(metrics);
        try {
            if (role.trains()) {
                running.trainer = TrainerService.start(config, metrics, setup, fromBeginning);
            }
            if (role.serves()) {
                running.server = ServingService.start(config, metrics);
            }
            running.http = MetricsServer.start(config.metricsAddress(TrainerService.DEFAULT_METRICS_PORT),
                    metrics, running::healthy);
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
        out.printf("kd student (%s): %s -> %s, checkpoints %s, Kafka %s; metrics on http://localhost:%d/metrics%n",
                role, config.topics().softTargets(), config.topics().predictions(), config.topics().checkpoints(),
                config.get(ConfigKey.BOOTSTRAP_SERVERS), running.http.port());
        out.flush();

        final CountDownLatch stopped = new CountDownLatch(1);
        Service.onShutdown("student-shutdown", () -> {
            running.close();
            stopped.countDown();
        });
        final long waitSeconds = statusEvery == 0 ? 1 : statusEvery;
        while (!stopped.await(waitSeconds, TimeUnit.SECONDS)) {
            if (statusEvery > 0) {
                out.println(running.statusLine());
                out.flush();
            }
            final String failure = running.failure();
            if (failure != null) {
                final boolean refused = running.refused();
                running.close();
                // a refused login or ACL is the user's to fix (one line, exit 1), anything else a bug
                throw refused ? new EnvironmentException(failure, null) : new IllegalStateException(failure);
            }
        }
        return 0;
    }

    private KdConfig config() {
        final Map<String, String> overrides = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        }
        if (ensemble != null) {
            overrides.put(ConfigKey.ENSEMBLE_FILE.key(), ensemble.toString());
        }
        put(overrides, ConfigKey.TRAINER_ID, trainerId);
        put(overrides, ConfigKey.STUDENT_HIDDEN, hidden);
        put(overrides, ConfigKey.DISTILLATION_TEMPERATURE, temperature);
        put(overrides, ConfigKey.DISTILLATION_ALPHA, alpha);
        put(overrides, ConfigKey.SERVER_STUDENT, serve);
        put(overrides, ConfigKey.SERVER_SHADOWS, shadow);
        put(overrides, ConfigKey.METRICS_PORT, metricsPort == null ? null : metricsPort.toString());
        return KdConfig.fromEnvironment(configFile, overrides);
    }

    private static void put(final Map<String, String> overrides, final ConfigKey key, final String value) {
        if (value != null) {
            overrides.put(key.key(), value);
        }
    }

    /** The parts this process started, closed once, in reverse order. */
    private static final class Running {

        private final ServiceMetrics metrics;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile TrainerService trainer;
        private volatile ServingService server;
        private volatile MetricsServer http;

        Running(final ServiceMetrics metrics) {
            this.metrics = metrics;
        }

        boolean healthy() {
            final TrainerService t = trainer;
            final ServingService s = server;
            return (t == null || t.healthy()) && (s == null || s.healthy());
        }

        String statusLine() {
            final List<String> parts = new ArrayList<>();
            if (trainer != null) {
                parts.add(trainer.status().line());
            }
            if (server != null) {
                parts.add("server " + server.state().name().toLowerCase(Locale.ROOT) + " serving "
                        + server.servedStudent() + " v" + server.servingVersion());
            }
            return String.join(" || ", parts);
        }

        /** Why the process should stop, or null while every part runs (or it is being closed anyway). */
        String failure() {
            if (closed.get()) {
                return null;
            }
            if (trainer != null && !trainer.healthy()) {
                return "the trainer stopped: " + trainer.failure()
                        .map(f -> KafkaAccess.explain(f).orElse(f.getMessage())).orElse("see the log");
            }
            if (server != null) {
                final KafkaStreams.State s = server.state();
                if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR
                        || s == KafkaStreams.State.NOT_RUNNING) {
                    return "the prediction server stopped (" + s + "): "
                            + server.failureMessage().orElse("see the log");
                }
            }
            return null;
        }

        /** Whether a service stopped because the broker refused its credentials or an ACL. */
        boolean refused() {
            return trainer != null && trainer.failure().filter(KafkaAccess::refused).isPresent()
                    || server != null && server.failure().filter(KafkaAccess::refused).isPresent();
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (http != null) {
                http.close();
            }
            if (server != null) {
                server.close();
            }
            if (trainer != null) {
                trainer.close();
            }
            metrics.close();
        }
    }
}
