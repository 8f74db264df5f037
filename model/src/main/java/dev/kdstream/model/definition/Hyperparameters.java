package dev.kdstream.model.definition;

import java.util.List;

/**
 * Every hyper-parameter of the teachers, the student and the distillation loss, in one place.
 * {@link #defaults()} is the seed tutorial's configuration.
 */
public record Hyperparameters(Teacher teacher, Student student, Distillation distillation) {

    /**
     * The teacher MLPs of the ensemble.
     *
     * @param count        ensemble size
     * @param hidden       hidden layer widths
     * @param dropout      drop probability after each hidden layer but the last (PyTorch's meaning)
     * @param learningRate Adam step size
     * @param epochs       passes over the training set
     * @param batchSize    minibatch size
     * @param groups       fused networks the ensemble is trained as, one per Java thread
     */
    public record Teacher(int count, List<Integer> hidden, double dropout, double learningRate,
                          int epochs, int batchSize, int groups) {
        public Teacher {
            hidden = List.copyOf(hidden);
            require(count >= 1, "teacher count must be >= 1");
            require(groups >= 1 && groups <= count, "teacher groups must be in 1.." + count);
            require(dropout >= 0 && dropout < 1, "teacher dropout must be in [0, 1)");
            checkCommon(hidden, learningRate, epochs, batchSize, "teacher");
        }
    }

    /**
     * The student MLP (and the hard-label baseline, which shares its architecture).
     *
     * @param weightDecay L2 penalty added to the gradient before Adam, as PyTorch's Adam does
     */
    public record Student(List<Integer> hidden, double learningRate, double weightDecay,
                          int epochs, int batchSize) {
        public Student {
            hidden = List.copyOf(hidden);
            require(weightDecay >= 0, "student weight decay must be >= 0");
            checkCommon(hidden, learningRate, epochs, batchSize, "student");
        }
    }

    /**
     * The distillation loss: alpha * T^2 * KL(soft || softmax(z/T)) + (1 - alpha) * CE(y, softmax(z)).
     */
    public record Distillation(double temperature, double alpha) {
        public Distillation {
            require(temperature > 0 && Double.isFinite(temperature), "temperature must be > 0");
            require(alpha >= 0 && alpha <= 1, "alpha must be in [0, 1]");
        }
    }

    public static Hyperparameters defaults() {
        return new Hyperparameters(
                new Teacher(12, List.of(256, 128, 64), 0.3, 1e-3, 30, 64, 2),
                new Student(List.of(64, 32), 1e-3, 1e-4, 50, 64),
                new Distillation(3.0, 0.7));
    }

    public Hyperparameters withTeacher(final Teacher t) {
        return new Hyperparameters(t, student, distillation);
    }

    public Hyperparameters withStudent(final Student s) {
        return new Hyperparameters(teacher, s, distillation);
    }

    public Hyperparameters withDistillation(final Distillation d) {
        return new Hyperparameters(teacher, student, d);
    }

    private static void checkCommon(final List<Integer> hidden, final double learningRate,
                                    final int epochs, final int batchSize, final String who) {
        require(!hidden.isEmpty() && hidden.stream().allMatch(w -> w >= 1),
                who + " hidden widths must be >= 1");
        require(learningRate > 0, who + " learning rate must be > 0");
        require(epochs >= 0, who + " epochs must be >= 0");
        require(batchSize >= 1, who + " batch size must be >= 1");
    }

    private static void require(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
