package dev.kdstream.model.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.kdstream.model.definition.StudentModel;

/**
 * Coverage-guided fuzzing of the student model reader, which reads every checkpoint a server or a
 * restarted trainer is given. The invariant: every input is either a student or a
 * {@link ModelFileException}; no other exception, no {@code Error} (a zip bomb's
 * {@code OutOfMemoryError}, a deserialization gadget's). Seeds: {@code StudentFileFuzzTestInputs}
 * (a real student file among them).
 */
class StudentFileFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void studentFiles(final byte[] bytes) {
        final StudentModel student;
        try {
            student = StudentFile.fromBytes("fuzz", bytes);
        } catch (ModelFileException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(student.parameterCount()).isPositive();
    }
}
