package dev.kdstream.model.served;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.metrics.MetricNames;

/**
 * The students a replica has loaded, the newest checkpoint of each trainer, and which one it serves.
 * The checkpoint loader and the control loader (the global thread) change it; the stream threads
 * read one immutable {@link Roster} per record: no pause and no lock on the hot path.
 *
 * <p>The served trainer is chosen by configuration and, live, by the control topic
 * ({@code server.student}). A choice of a trainer with no checkpoint yet is kept waiting, and the
 * replica goes on serving the one it served, until that trainer's first checkpoint loads.
 */
public final class CurrentModel {

    /** {@link MetricNames#STAGE} value of the served version: tells it apart from the trainer's written one. */
    public static final String SERVING = "serving";

    /**
     * One consistent view.
     *
     * @param students the newest loaded student per trainer id
     * @param served   the trainer id served
     * @param wanted   the trainer id chosen, which is {@code served} unless it has no student yet
     * @param shadows  the trainer ids whose students predict every record too, on the shadow topic
     */
    public record Roster(Map<String, ServedStudent> students, String served, String wanted, List<String> shadows) {

        public Roster {
            students = Map.copyOf(students);
            shadows = List.copyOf(shadows);
        }

        /** The student to predict with, or null before its first checkpoint. */
        public ServedStudent servedStudent() {
            return students.get(served);
        }

        /** Trainer {@code id}'s student, or null before its first checkpoint. */
        public ServedStudent student(final String id) {
            return students.get(id);
        }
    }

    private final AtomicReference<Roster> roster;

    /** Serving the default {@code trainer.id}'s student (tests, and a teacher that follows no control choice). */
    public CurrentModel() {
        this(ConfigKey.TRAINER_ID.defaultValue(), List.of());
    }

    /**
     * @param served  the trainer id served until the control topic chooses another
     * @param shadows the shadow students until the control topic chooses others
     */
    public CurrentModel(final String served, final List<String> shadows) {
        this.roster = new AtomicReference<>(new Roster(Map.of(), served, served, shadows));
    }

    public Roster roster() {
        return roster.get();
    }

    /** The model to predict with, or null before the first checkpoint of the served trainer. */
    public ServedStudent get() {
        return roster.get().servedStudent();
    }

    /** The served version, 0 before the first checkpoint. */
    public long version() {
        final ServedStudent m = get();
        return m == null ? 0 : m.version();
    }

    /** The served trainer's student from now on; see {@link #offer}. */
    public ServedStudent serve(final ServedStudent candidate) {
        return offer(roster.get().served(), candidate);
    }

    /**
     * Trainer {@code trainerId}'s student from now on: the newest checkpoint on the topic, whatever its
     * version (a trainer that was reset starts again at 1; a stray checkpoint at a huge version must
     * not pin the server). The trainer chosen and waiting for its first checkpoint is served from now on.
     *
     * @return that trainer's student before, or null
     */
    public ServedStudent offer(final String trainerId, final ServedStudent candidate) {
        final Roster before = roster.getAndUpdate(r -> {
            final Map<String, ServedStudent> students = new HashMap<>(r.students());
            students.put(trainerId, candidate);
            return new Roster(students, trainerId.equals(r.wanted()) ? trainerId : r.served(), r.wanted(),
                    r.shadows());
        });
        return before.student(trainerId);
    }

    /**
     * Serves trainer {@code trainerId}'s student from now on, or from its first checkpoint on.
     *
     * @return true when it is served now (it has a student, or it was served already)
     */
    public boolean choose(final String trainerId) {
        final Roster after = roster.updateAndGet(r -> new Roster(r.students(),
                r.students().containsKey(trainerId) ? trainerId : r.served(), trainerId, r.shadows()));
        return trainerId.equals(after.served());
    }

    /** The shadow students from the next record on. */
    public void shadow(final List<String> trainerIds) {
        roster.updateAndGet(r -> new Roster(r.students(), r.served(), r.wanted(), trainerIds));
    }

    /** {@link MetricNames#MODEL_VERSION} of the served model. */
    public void bindTo(final MeterRegistry registry) {
        Gauge.builder(MetricNames.MODEL_VERSION, this, CurrentModel::version)
                .description("version of the student checkpoint being served")
                .tag(MetricNames.MODEL, MetricNames.DISTILLED)
                .tag(MetricNames.STAGE, SERVING)
                .strongReference(true)
                .register(registry);
    }
}
