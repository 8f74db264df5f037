package dev.kdstream.teacher;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./kd teacher}: train the ensemble, or serve it as the streaming annotator. */
@Command(name = "teacher", mixinStandardHelpOptions = true,
        description = "The teacher ensemble: train it, or serve it as the Kafka Streams app that annotates "
                + "'features' with soft targets on 'soft-targets'.",
        subcommands = {TeacherTrainCommand.class, TeacherServeCommand.class},
        footer = {"", "Examples:",
            "  ./kd teacher train",
            "  ./kd teacher train --train train.csv --out models/ensemble.kdm",
            "  ./kd teacher serve --bootstrap-servers localhost:9092",
            "  ./kd teacher serve --train-if-missing"})
public final class TeacherCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
