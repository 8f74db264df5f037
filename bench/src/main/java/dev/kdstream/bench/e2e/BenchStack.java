package dev.kdstream.bench.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kdstream.client.produce.stream.FeatureMessage;
import dev.kdstream.client.produce.stream.FeatureStream;
import dev.kdstream.client.produce.stream.StreamOptions;
import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.data.Dataset;
import dev.kdstream.launcher.stack.EnsembleCache;
import dev.kdstream.launcher.stack.StackCommand;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.model.definition.TeacherEnsemble;

/** What the end-to-end benchmarks share: the ensemble, the records, topic names, the stages' counts. */
final class BenchStack {

    /** Where {@code ./kd stack} caches its ensemble, with its default {@code --data-dir}. */
    private static final Path MODEL_DIR = StackCommand.modelDir(Path.of(StackCommand.DEFAULT_DATA_DIR));

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

    /**
     * The ensemble {@code ./kd stack} trains on the same data with the default hyper-parameters:
     * loaded from its cache, or trained now and cached for both.
     */
    static TeacherEnsemble ensemble(final Dataset train, final PrintWriter out) {
        return EnsembleCache.loadOrTrain(MODEL_DIR, train, Hyperparameters.defaults(), out);
    }

    static void deleteQuietly(final Path dir) {
        try {
            StackCommand.deleteRecursively(dir);
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is harmless
        }
    }
}
