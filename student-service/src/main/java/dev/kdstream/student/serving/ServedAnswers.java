package dev.kdstream.student.serving;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the server answered for one record that came without a label: the served student's class and
 * each shadow's, as they were at serving time, kept for a late label to score.
 */
record ServedAnswers(List<Answer> answers) {

    /** One student's answer: trainer id, {@link ServingMeters#SERVED} or {@link ServingMeters#SHADOW}, the class. */
    record Answer(String student, String role, int predicted) {
    }

    ServedAnswers {
        answers = List.copyOf(answers);
    }

    /** The store's serde: a count, then each answer's student, role and class. */
    static Serde<ServedAnswers> serde() {
        return Serdes.serdeFrom((topic, a) -> a == null ? null : a.toBytes(),
                (topic, bytes) -> bytes == null ? null : fromBytes(bytes));
    }

    byte[] toBytes() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * answers.size() + 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(answers.size());
            for (final Answer a : answers) {
                out.writeUTF(a.student());
                out.writeUTF(a.role());
                out.writeInt(a.predicted());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ServedAnswers fromBytes(final byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final int n = in.readInt();
            final List<Answer> answers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                answers.add(new Answer(in.readUTF(), in.readUTF(), in.readInt()));
            }
            return new ServedAnswers(answers);
        } catch (IOException e) {
            // only this class writes the store (and its changelog)
            throw new UncheckedIOException("a corrupt served-answers entry", e);
        }
    }
}
