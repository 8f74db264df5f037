package dev.kdstream.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.contracts.control.LiveSettings;
import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;
import dev.kdstream.launcher.Kd;

import picocli.CommandLine;

/** {@code ./kd control} against a real broker: a change, a refused one, what is in force, the history. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ControlCommandIT {

    private record Run(int code, String out, String err) {
    }

    /** Its own control topic: the test classes of this module share one broker, and their teachers read theirs. */
    @TempDir
    static Path dir;

    private static Run kd(final EmbeddedKafkaBroker broker, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = Kd.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final Path config = dir.resolve("control-it.properties");
        try {
            Files.writeString(config, "topic.control=control-it\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap-servers";
        all[args.length + 1] = broker.bootstrapServers();
        all[args.length + 2] = "--config";
        all[args.length + 3] = config.toString();
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    @Timeout(120)
    void setShowUnsetAndHistoryAndRefusalsNamingTheReason(final EmbeddedKafkaBroker broker) {
        assertThat(kd(broker, "control", "show").out()).contains("none set");

        final Run set = kd(broker, "control", "set", "teacher.budget=0.1", "teacher.sampler=uncertainty");
        assertThat(set.code()).isZero();
        assertThat(set.out()).contains("control version 0: {teacher.budget=0.1, teacher.sampler=uncertainty}");

        final Run outOfRange = kd(broker, "control", "set", "teacher.budget=7");
        assertThat(outOfRange.code()).isNotZero();
        assertThat(outOfRange.err()).contains("teacher.budget (KD_TEACHER_BUDGET) must be in (0, 1], got 7");
        final Run unknown = kd(broker, "control", "set", "student.lr=0.1");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("'student.lr' cannot be set live; these can: " + LiveSettings.names());
        assertThat(kd(broker, "control", "set", "teacher.budget").err()).contains("is not KEY=VALUE");

        assertThat(kd(broker, "control", "unset", "teacher.sampler").out())
                .contains("control version 1: {teacher.budget=0.1}");
        assertThat(kd(broker, "control", "show").out()).contains("version 1").contains("teacher.budget=0.1")
                .doesNotContain("sampler");
        assertThat(kd(broker, "control", "history").out().lines().toList()).hasSize(2)
                .satisfies(lines -> assertThat(lines.get(0)).startsWith("version 0").contains("by ")
                        .contains("teacher.sampler=uncertainty"));

        // a trainer's settings, for all and for one trainer, checked as the trainers check them
        final Run trainer = kd(broker, "control", "set", "student.learning.rate=0.002", "distillation.alpha@small=0.9",
                "server.student=small");
        assertThat(trainer.code()).as(trainer.err()).isZero();
        assertThat(trainer.out()).contains("control version 2: {distillation.alpha@small=0.9, server.student=small, "
                + "student.learning.rate=0.002, teacher.budget=0.1}");
        final Run badAlpha = kd(broker, "control", "set", "distillation.alpha@small=1.5");
        assertThat(badAlpha.code()).isNotZero();
        assertThat(badAlpha.err()).contains("for trainer 'small': alpha must be in [0, 1]")
                .contains("distillation.alpha=1.5");
        assertThat(kd(broker, "control", "set", "teacher.budget@small=0.5").err())
                .contains("can be set for one trainer, as KEY@TRAINER_ID");
        assertThat(kd(broker, "control", "set", "distillation.temperature=0").err())
                .contains("distillation.temperature (KD_DISTILLATION_TEMPERATURE) must be > 0");
    }
}
