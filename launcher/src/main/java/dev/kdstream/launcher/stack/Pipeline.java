package dev.kdstream.launcher.stack;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.metrics.MetricNames;
import dev.kdstream.contracts.metrics.MetricsServer;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.student.TrainerService;
import dev.kdstream.student.serving.ServingMeters;
import dev.kdstream.student.serving.ServingService;
import dev.kdstream.student.trainer.TrainerStatus;
import dev.kdstream.teacher.TeacherService;
import dev.kdstream.teacher.streams.TeacherMetrics;

/**
 * The three services of the data path in one JVM, wired to one Kafka cluster: teacher-service
 * (features -> soft-targets), the student trainer (soft-targets -> checkpoints) and the prediction
 * server (features + checkpoints -> predictions). Each keeps its own metrics registry and port,
 * exactly as when they run as separate processes.
 */
public final class Pipeline implements AutoCloseable {

    private final KdConfig trainerConfig;
    private final TeacherEnsemble ensemble;
    private final ServiceMetrics teacherMetrics = new ServiceMetrics("teacher");
    private final ServiceMetrics studentMetrics = new ServiceMetrics("student");
    private final TeacherService teacher;
    /** What the trainers replaced by {@link #restartTrainer} trained on, so that {@link #trained} never goes back. */
    private volatile long trainedByEarlierTrainers;
    private final ServingService server;
    private final MetricsServer studentEndpoint;
    private volatile TrainerService trainer;

    /**
     * Each service's config. On a plaintext broker all three are one; on a secured one each service
     * connects as its own principal, with only its own ACLs.
     */
    public record ServiceConfigs(KdConfig teacher, KdConfig trainer, KdConfig server) {

        /** Every service with the same config. */
        public static ServiceConfigs shared(final KdConfig config) {
            return new ServiceConfigs(config, config, config);
        }
    }

    private Pipeline(final ServiceConfigs configs, final TeacherEnsemble ensemble, final int teacherPort,
                     final int studentPort) {
        this.ensemble = ensemble;
        final Map<String, String> studentPortSetting = Map.of(ConfigKey.METRICS_PORT.key(),
                Integer.toString(studentPort));
        this.trainerConfig = configs.trainer().with(studentPortSetting);
        this.teacher = TeacherService.start(
                configs.teacher().with(Map.of(ConfigKey.METRICS_PORT.key(), Integer.toString(teacherPort))), ensemble,
                teacherMetrics);
        this.trainer = TrainerService.start(trainerConfig, studentMetrics, ensemble.manifest());
        this.server = ServingService.start(configs.server().with(studentPortSetting), studentMetrics);
        // on metrics.bind, as each service's own endpoint is
        this.studentEndpoint = MetricsServer.start(trainerConfig.metricsAddress(studentPort),
                studentMetrics, () -> trainer.healthy() && server.healthy());
    }

    /** With each service's default metrics port, 9401 (teacher) and 9402 (student), each service with its own config. */
    public static Pipeline start(final ServiceConfigs configs, final TeacherEnsemble ensemble) {
        return new Pipeline(configs, ensemble, TeacherService.DEFAULT_METRICS_PORT,
                TrainerService.DEFAULT_METRICS_PORT);
    }

    /** On free metrics ports (tests). */
    public static Pipeline startOnFreePorts(final KdConfig config, final TeacherEnsemble ensemble) {
        return startOnFreePorts(ServiceConfigs.shared(config), ensemble);
    }

    /** On free metrics ports, each service with its own config (tests). */
    public static Pipeline startOnFreePorts(final ServiceConfigs configs, final TeacherEnsemble ensemble) {
        return new Pipeline(configs, ensemble, 0, 0);
    }

    /** Stops the trainer and starts a new one, which resumes from its newest checkpoint. */
    public void restartTrainer() {
        trainer.close();
        trainedByEarlierTrainers += trainer.status().recordsTrainedHere();
        trainer = TrainerService.start(trainerConfig, studentMetrics, ensemble.manifest());
    }

    public TeacherService teacher() {
        return teacher;
    }

    public TrainerService trainer() {
        return trainer;
    }

    public ServingService server() {
        return server;
    }

    public ServiceMetrics teacherMetrics() {
        return teacherMetrics;
    }

    public ServiceMetrics studentMetrics() {
        return studentMetrics;
    }

    public String teacherMetricsUrl() {
        return "http://localhost:" + teacher.metricsPort() + "/metrics";
    }

    /** Where the student's /metrics and /health listen ({@code metrics.bind}, the student's port). */
    public InetSocketAddress studentMetricsAddress() {
        return studentEndpoint.address();
    }

    public String studentMetricsUrl() {
        return "http://localhost:" + studentEndpoint.port() + "/metrics";
    }

    /**
     * Valid records the teacher is done with, from its metrics: annotated, passed on for their label
     * alone, or (unlabelled, outside the teacher budget) left out. At a budget of 1.0, annotated.
     */
    public long taught() {
        return counts().taught();
    }

    /** {@link #taught} by the teacher budget's decision ({@link MetricNames#SELECTION} tag to records). */
    public Map<String, Long> selections() {
        final Map<String, Long> bySelection = new LinkedHashMap<>();
        for (final Counter c : teacherMetrics.registry().find(MetricNames.TEACHER_SELECTED).counters()) {
            bySelection.merge(c.getId().getTag(MetricNames.SELECTION), (long) c.count(), Long::sum);
        }
        return bySelection;
    }

    /** Records the server has answered with a prediction, from its metrics. */
    public long predicted() {
        return count(studentMetrics.registry(), ServingMeters.PREDICTED);
    }

    /**
     * Records the trainers of this pipeline have trained on: not the ones a checkpoint counts from an
     * earlier process, like the teacher's and server's counters, which start at 0 in each process.
     */
    public long trained() {
        return trainedByEarlierTrainers + trainer.status().recordsTrainedHere();
    }

    /**
     * The services that are not processing records right now, with what they are doing instead
     * (e.g. {@code teacher=REBALANCING}): what a stage at 0 records/s is waiting on.
     */
    public Map<String, String> notRunning() {
        final Map<String, String> waiting = new LinkedHashMap<>();
        if (teacher.state() != KafkaStreams.State.RUNNING) {
            waiting.put("teacher", teacher.state().name().toLowerCase(Locale.ROOT));
        }
        final TrainerStatus.State trainerState = trainer.status().state();
        if (trainerState != TrainerStatus.State.RUNNING) {
            waiting.put("trainer", trainerState.name().toLowerCase(Locale.ROOT));
        }
        if (server.state() != KafkaStreams.State.RUNNING) {
            waiting.put("server", server.state().name().toLowerCase(Locale.ROOT));
        }
        return waiting;
    }

    /** Records in soft-targets the trainer has not read, or -1 when it does not know yet. */
    public long trainerLag() {
        return trainer.status().lag();
    }

    /** What each stage has taken so far, read once. */
    public Counts counts() {
        final Map<String, Long> bySelection = selections();
        final long taught = bySelection.values().stream().mapToLong(Long::longValue).sum();
        // written to soft-targets, for the trainer to take: all but the left out
        final long written = taught - bySelection.getOrDefault(TeacherMetrics.LEFT_OUT, 0L);
        return new Counts(taught, written, trained(), predicted());
    }

    /**
     * The records each stage has taken: the teacher (of which {@code written} reached soft-targets:
     * under a teacher budget, unlabelled records may be left out), the trainer, the server.
     */
    public record Counts(long taught, long written, long trained, long predicted) {

        /** Since {@code before}. */
        public Counts minus(final Counts before) {
            return new Counts(taught - before.taught, written - before.written, trained - before.trained,
                    predicted - before.predicted);
        }

        /** Whether every stage has taken at least {@code records} (the trainer: all the teacher wrote of them). */
        public boolean reached(final long records) {
            return taught >= records && trained >= written && predicted >= records;
        }

        /** Records every stage is done with (those the teacher left out are done for the trainer). */
        public long least() {
            return Math.min(taught, Math.min(trained + taught - written, predicted));
        }

        public long sum() {
            return taught + trained + predicted;
        }
    }

    /** Throws if the trainer has failed: the stack cannot finish without it. */
    public void requireTrainerAlive() {
        if (trainer.failure().isPresent()) {
            throw new IllegalStateException("the trainer failed: " + trainer.failure().get());
        }
    }

    private static long count(final MeterRegistry registry, final String stage) {
        double sum = 0;
        for (final Counter c : registry.find(MetricNames.RECORDS).tag(MetricNames.STAGE, stage).counters()) {
            sum += c.count();
        }
        return (long) sum;
    }

    public boolean healthy() {
        return teacher.healthy() && trainer.healthy() && server.healthy();
    }

    @Override
    public void close() {
        // downstream first, so nothing waits on a stopped upstream
        studentEndpoint.close();
        server.close();
        trainer.close();
        teacher.close();
        studentMetrics.close();
        teacherMetrics.close();
    }
}
