package dev.kdstream.launcher.bench.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kdstream.common.config.ConfigKey;
import dev.kdstream.common.config.KdConfig;
import dev.kdstream.common.data.Dataset;
import dev.kdstream.common.model.EnsembleFile;
import dev.kdstream.common.model.Hyperparameters;
import dev.kdstream.common.model.ModelFileException;
import dev.kdstream.common.model.TeacherEnsemble;
import dev.kdstream.launcher.stack.StackCommand;
import dev.kdstream.producer.stream.FeatureMessage;
import dev.kdstream.producer.stream.FeatureStream;
import dev.kdstream.producer.stream.StreamOptions;
import dev.kdstream.teacher.training.EnsembleTrainer;

/** What the end-to-end benchmarks share: the ensemble, the records, topic names, the stages' counts. */
final class BenchStack {

    /** The trained ensemble is cached here by {@code ./kd stack}. */
    private static final Path MODEL_DIR = Path.of(".kd", "models");

    private BenchStack() {
    }

    /** {@code count} records from the training rows, pass after pass, ids prefixed to tell phases apart. */
    static Iterator<FeatureMessage> messages(final Dataset train, final long count, final String prefix) {
        final Iterator<FeatureMessage> rows = FeatureStream.of(train,
                StreamOptions.defaults().withRepeat(0).withCount(count)).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public FeatureMessage next() {
                final FeatureMessage m = rows.next();
                return new FeatureMessage(prefix + m.id(), m.features(), m.label(), m.split(), m.featuresJson());
            }
        };
    }

    /** The same configuration on topics of their own: {@code <prefix>features} and so on. */
    static KdConfig prefixed(final KdConfig base, final String prefix) {
        final Map<String, String> topics = new LinkedHashMap<>();
        for (final ConfigKey key : List.of(ConfigKey.TOPIC_FEATURES, ConfigKey.TOPIC_SOFT_TARGETS,
                ConfigKey.TOPIC_PREDICTIONS, ConfigKey.TOPIC_CHECKPOINTS, ConfigKey.TOPIC_FEATURES_DLQ)) {
            topics.put(key.key(), prefix + key.defaultValue());
        }
        return base.with(topics);
    }

    /** The newest ensemble {@code ./kd stack} cached that fits the seed data, else one trained now. */
    static TeacherEnsemble ensemble(final Dataset train, final PrintWriter out) throws IOException {
        if (Files.isDirectory(MODEL_DIR)) {
            final List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(MODEL_DIR, "ensemble-*.kdm")) {
                dir.forEach(files::add);
            }
            files.sort(Comparator.comparing((Path f) -> f.toFile().lastModified()).reversed());
            for (final Path file : files) {
                try {
                    final TeacherEnsemble cached = EnsembleFile.load(file);
                    cached.requireFits(train.width(), train.numClasses(), train.source());
                    out.println("ensemble: " + cached.manifest().versionId() + " (" + file + ")");
                    return cached;
                } catch (ModelFileException | IllegalArgumentException e) {
                    out.println("ensemble: " + file + " unusable (" + e.getMessage() + ")");
                }
            }
        }
        out.println("ensemble: none cached in " + MODEL_DIR + ", training one (default hyper-parameters) ...");
        out.flush();
        final TeacherEnsemble trained = EnsembleTrainer.train(train, Hyperparameters.defaults(), 0,
                EnsembleTrainer.Progress.NONE);
        out.println("ensemble: " + trained.manifest().versionId() + " (trained now, not cached)");
        return trained;
    }

    static void deleteQuietly(final Path dir) {
        try {
            StackCommand.deleteRecursively(dir);
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is harmless
        }
    }
}
