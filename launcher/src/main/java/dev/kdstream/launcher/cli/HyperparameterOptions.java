package dev.kdstream.launcher.cli;

import dev.kdstream.model.definition.Hyperparameters;
import picocli.CommandLine.Option;

/** Command-line overrides of {@link Hyperparameters#defaults()} (the seed's values). */
public final class HyperparameterOptions {

    private static final Hyperparameters D = Hyperparameters.defaults();

    @Option(names = "--teachers", paramLabel = "N", description = "Teachers in the ensemble (default: 12).")
    int teachers = D.teacher().count();

    @Option(names = "--teacher-epochs", paramLabel = "N", description = "Teacher training epochs (default: 30).")
    int teacherEpochs = D.teacher().epochs();

    @Option(names = "--teacher-threads", paramLabel = "N",
            description = "Fused teacher groups trained in parallel, one Java thread each (default: 2).")
    int teacherGroups = D.teacher().groups();

    @Option(names = "--student-epochs", paramLabel = "N", description = "Student and baseline epochs (default: 50).")
    int studentEpochs = D.student().epochs();

    @Option(names = {"-T", "--temperature"}, paramLabel = "T", description = "Distillation temperature (default: 3.0).")
    double temperature = D.distillation().temperature();

    @Option(names = "--alpha", paramLabel = "A",
            description = "Weight of the soft-target term; 1 - alpha weights the hard labels (default: 0.7).")
    double alpha = D.distillation().alpha();

    public Hyperparameters toHyperparameters() {
        final Hyperparameters.Teacher t = D.teacher();
        final Hyperparameters.Student s = D.student();
        return new Hyperparameters(
                new Hyperparameters.Teacher(teachers, t.hidden(), t.dropout(), t.learningRate(), teacherEpochs,
                        t.batchSize(), Math.min(teacherGroups, teachers)),
                new Hyperparameters.Student(s.hidden(), s.learningRate(), s.weightDecay(), studentEpochs,
                        s.batchSize()),
                new Hyperparameters.Distillation(temperature, alpha));
    }
}
