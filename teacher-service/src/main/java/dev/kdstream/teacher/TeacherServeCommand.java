package dev.kdstream.teacher;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.streams.KafkaStreams;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.TrainTestSplit;
import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.contracts.metrics.ServiceMetrics;
import dev.kdstream.contracts.service.Service;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleManifest;
import dev.kdstream.teacher.streams.TeacherTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./kd teacher serve}: runs the streaming annotator until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Annotates every record of 'features' with the ensemble's soft targets on 'soft-targets', "
                    + "exactly once; invalid records go to 'features-dlq' with the reason in headers.",
            "Serves /metrics and /health on metrics.port (default 9401). Stops on Ctrl-C."},
        footer = {"", "Examples:",
            "  ./kd teacher serve",
            "  ./kd teacher serve --bootstrap-servers broker:9092 --ensemble my.kdm",
            "  ./kd teacher serve --train-if-missing"})
public final class TeacherServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--ensemble", paramLabel = "FILE",
            description = "The ensemble model file (default: ensemble.file, else <model.dir>/ensemble.kdm).")
    Path ensembleFile;

    @Option(names = "--train-if-missing",
            description = "When there is no ensemble file, train one on the default data first and save it "
                    + "(also: teacher.train-if-missing=true).")
    boolean trainIfMissing;

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter console = spec.commandLine().getOut();
        final KdConfig config = configOptions.load(ensembleFile == null ? Map.of()
                : Map.of(ConfigKey.ENSEMBLE_FILE.key(), ensembleFile.toString()));
        if (!trainsIfMissing(config)) {
            // before touching Kafka: a missing ensemble file is the likeliest user error
            TeacherService.requireEnsembleFile(config.ensembleFile());
        }
        final CompletableFuture<TeacherEnsemble> ensemble = TeacherService.loadInBackground(
                () -> ensemble(config, console));

        final ServiceMetrics metrics = new ServiceMetrics(TeacherTopology.SERVICE);
        final TeacherService service;
        try {
            service = TeacherService.start(config, ensemble, metrics, TeacherTopology.APPLICATION_ID);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        final AtomicBoolean stopped = new AtomicBoolean();
        final Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                service.close();
                metrics.close();
            }
        };
        Service.onShutdown("kd-teacher-shutdown", stop);

        final EnsembleManifest m = service.manifest();
        final TopicNames topics = config.topics();
        console.printf(Locale.ROOT, "teacher: %s -> %s with ensemble %s (%d teachers, T = %s), batch %s, linger %s ms;"
                        + " invalid records -> %s%n", topics.features(), topics.softTargets(), m.versionId(),
                m.teacherCount(), m.temperature(), config.get(ConfigKey.TEACHER_BATCH_SIZE),
                config.get(ConfigKey.TEACHER_LINGER_MS), topics.featuresDlq());
        if (!service.createdTopics().isEmpty()) {
            console.println("created topics: " + String.join(", ", service.createdTopics()));
        }
        console.println("metrics: " + service.metricsUrl() + "   health: http://localhost:" + service.metricsPort()
                + "/health");
        console.println("Kafka: " + config.get(ConfigKey.BOOTSTRAP_SERVERS) + ". Ctrl-C to stop.");
        console.flush();

        service.awaitStop();
        final KafkaStreams.State last = service.state();
        stop.run();
        if (last == KafkaStreams.State.ERROR) {
            spec.commandLine().getErr().println("teacher: error: " + service.failureMessage()
                    .orElse("the streams app failed (the log above says why)")
                    + "; its uncommitted work was aborted and is redone when the teacher restarts");
            return 1;
        }
        return 0;
    }

    private boolean trainsIfMissing(final KdConfig config) {
        return trainIfMissing || config.getBoolean(ConfigKey.TEACHER_TRAIN_IF_MISSING);
    }

    private TeacherEnsemble ensemble(final KdConfig config, final PrintWriter console) {
        final Path file = config.ensembleFile();
        if (Files.exists(file)) {
            console.println("loading the ensemble from " + file);
            console.flush();
            return TeacherService.loadEnsemble(file);
        }
        if (!trainsIfMissing(config)) {
            // fails with a message naming the file and how to make one
            return TeacherService.loadEnsemble(file);
        }
        final Hyperparameters hp = Hyperparameters.defaults();
        console.println("no ensemble at " + file + ": training one on the default data first ("
                + hp.teacher().count() + " teachers x " + hp.teacher().epochs() + " epochs)");
        console.flush();
        final TeacherTraining.Result result = TeacherTraining.trainAndSave(TrainTestSplit.seedDefault(), hp, 0L,
                file, TeacherTrainCommand.progress(hp, false));
        console.printf(Locale.ROOT, "ensemble %s: held-out accuracy %.4f; saved %s%n",
                result.ensemble().manifest().versionId(), result.heldOutAccuracy(), file);
        return result.ensemble();
    }
}
