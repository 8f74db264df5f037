package dev.kdstream.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kdstream.model.definition.TeacherEnsemble;
import dev.kdstream.model.file.EnsembleFile;
import dev.kdstream.model.file.ModelFileException;
import picocli.CommandLine;

class TeacherCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final AtomicReference<Exception> error = new AtomicReference<>();

    private int run(final String... args) {
        final CommandLine cmd = new CommandLine(new TeacherCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            error.set(e);
            return 1;
        });
        return cmd.execute(args);
    }

    @Test
    void trainSavesAnEnsembleAndReportsItsHeldOutAccuracy() {
        final Path file = dir.resolve("models/ensemble.kdm");
        assertThat(run("train", "--teachers", "2", "--teacher-epochs", "1", "--seed", "3", "--out", file.toString(),
                "--quiet")).as(String.valueOf(error.get())).isZero();

        final TeacherEnsemble saved = EnsembleFile.load(file);
        assertThat(saved.manifest().teacherCount()).isEqualTo(2);
        assertThat(saved.manifest().inputWidth()).isEqualTo(20);
        assertThat(out.toString())
                .contains("2 teachers x 1 epochs")
                .contains("(4000 x 20, 2 classes)")
                .contains("ensemble " + saved.manifest().versionId() + ": held-out accuracy 0.")
                .contains("(1000 records)")
                .contains("saved " + file);
    }

    @Test
    void serveWithoutAnEnsembleSaysWhichFileIsMissingAndHowToMakeOne() {
        final Path missing = dir.resolve("nowhere.kdm");
        assertThat(run("serve", "--ensemble", missing.toString(), "--bootstrap-servers", "localhost:1")).isEqualTo(1);
        assertThat(error.get()).isInstanceOf(ModelFileException.class);
        assertThat(error.get().getMessage()).contains(missing.toString()).contains("./kd teacher train")
                .contains("--train-if-missing");
    }

    @Test
    void rejectsAnEmptyEnsemble() {
        assertThat(run("train", "--teachers", "0", "--out", dir.resolve("e.kdm").toString(), "-q")).isEqualTo(1);
        assertThat(error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--teachers");
    }
}
