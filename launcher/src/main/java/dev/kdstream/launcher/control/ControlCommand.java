package dev.kdstream.launcher.control;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kdstream.client.query.ReaderOptions;
import dev.kdstream.contracts.config.KdConfig;
import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.model.definition.Hyperparameters;
import dev.kdstream.student.trainer.StudentTuning;
import dev.kdstream.teacher.budget.LiveBudget;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./kd control}: the settings the services take without a restart, through the compacted
 * {@code control} topic. Each record is the whole set in force, its offset the version the
 * services stamp on what they produce with it; the topic is the history.
 */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = "Changes settings of the running services without a restart, through the compacted 'control' "
                + "topic, and shows them and their history. The teacher reads teacher.* and "
                + "distillation.temperature (the T of the soft targets it writes), every trainer distillation.* and "
                + "student.* (or one trainer: KEY@TRAINER_ID), every server server.student and server.shadows (which "
                + "trainers' students it serves and runs in its shadow). Settable: teacher.budget, teacher.sampler, "
                + "teacher.explore, teacher.budget.floor, teacher.agreement.target, teacher.drift.boost, teacher.refresh, "
                + "distillation.temperature, distillation.alpha, student.learning.rate, student.weight.decay, "
                + "distillation.trust, server.student, server.shadows (a trainer's also as KEY@TRAINER_ID).",
        footer = {"", "Examples:",
            "  ./kd control set teacher.budget=0.1 teacher.sampler=uncertainty",
            "  ./kd control set student.learning.rate=0.002 distillation.alpha@small=0.9",
            "  ./kd control set server.shadows=small          # run trainer 'small' in the served one's shadow",
            "  ./kd control set server.student=small          # serve trainer 'small' from its newest checkpoint",
            "  ./kd control show",
            "  ./kd control unset teacher.budget          # back to the teacher's own configuration",
            "  ./kd control history"})
public final class ControlCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Sets KEY=VALUE (several at once are one change), checked here first against this "
                    + "machine's configuration; the teacher checks it again against its own and refuses it with the "
                    + "reason in its log and kd_control_refused_total, changing nothing.")
    int set(@Mixin final ReaderOptions options,
            @Parameters(paramLabel = "KEY=VALUE", arity = "1..*", description = "The settings to change.")
            final List<String> assignments) {
        final Map<String, String> changes = new LinkedHashMap<>();
        for (final String a : assignments) {
            final int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new IllegalArgumentException("'" + a + "' is not KEY=VALUE (settable: " + LiveSettings.names()
                        + ")");
            }
            changes.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return change(options, changes);
    }

    @Command(name = "unset", mixinStandardHelpOptions = true,
            description = "Returns KEYs to each service's own configuration.")
    int unset(@Mixin final ReaderOptions options,
              @Parameters(paramLabel = "KEY", arity = "1..*", description = "The settings to return.")
              final List<String> keys) {
        final Map<String, String> changes = new LinkedHashMap<>();
        keys.forEach(k -> changes.put(k, null));
        return change(options, changes);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints the newest settings written (the teacher's kd_control_version says which it runs "
                    + "with: one it refused is not in force).")
    int show(@Mixin final ReaderOptions options) {
        final ControlTopic.Entry current = new ControlTopic(options.config(), options.timeout()).current();
        out().println(current.version() < 0 ? "none set: each service runs with its own configuration"
                : ControlTopic.describe(current));
        return 0;
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Prints every change, oldest first (each kept 30 days; the newest for good).")
    int history(@Mixin final ReaderOptions options) {
        final List<ControlTopic.Entry> all = new ControlTopic(options.config(), options.timeout()).history();
        if (all.isEmpty()) {
            out().println("no change yet");
        }
        all.forEach(e -> out().println(ControlTopic.describe(e)));
        return 0;
    }

    /** Lays {@code changes} over the settings in force, checks them, and writes the result as the newest. */
    private int change(final ReaderOptions options, final Map<String, String> changes) {
        final KdConfig config = options.config();
        final ControlTopic topic = new ControlTopic(config, options.timeout());
        final LiveSettings next = topic.current().settings().with(changes, who());
        // the services' own checks, against this machine's configuration; each checks again against its own
        LiveBudget.of(config.with(next.global()), LiveBudget.CONFIGURED);
        StudentTuning.apply(Hyperparameters.defaults(), next.global());
        StudentTuning.trust(next.global(), true);
        for (final String trainer : next.trainers()) {
            try {
                StudentTuning.apply(Hyperparameters.defaults(), next.forTrainer(trainer));
                StudentTuning.trust(next.forTrainer(trainer), true);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("for trainer '" + trainer + "': " + e.getMessage(), e);
            }
        }
        final long version = topic.write(next);
        out().println("control version " + version + ": " + next);
        out().println("each service takes it at its next record (or refuses it: its log and "
                + "kd_control_refused_total{part} say why); './kd control show' prints what was written");
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static String who() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }
}
