package dev.kdstream.teacher.streams;

import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.nn.graph.ComputationGraph;

import dev.kdstream.model.definition.TeacherEnsemble;

/**
 * Hands every task its own copy of one loaded ensemble. DL4J networks are not thread-safe, so
 * tasks on different stream threads cannot share one; copying the loaded networks, rather than
 * reading the model file again for each task, also keeps every task on the same version when the
 * file is replaced while the service runs.
 */
public final class EnsembleCopies {

    private EnsembleCopies() {
    }

    /** The prototype is only ever copied, never run; copies are made one at a time. */
    public static Supplier<TeacherEnsemble> of(final TeacherEnsemble prototype) {
        return () -> {
            synchronized (prototype) {
                final List<ComputationGraph> groups = prototype.groups().stream()
                        .map(ComputationGraph::clone)
                        .toList();
                return new TeacherEnsemble(prototype.manifest(), groups);
            }
        };
    }
}
