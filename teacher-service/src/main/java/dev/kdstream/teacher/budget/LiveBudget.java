package dev.kdstream.teacher.budget;

/**
 * The teacher budget in force and the control version it came from.
 *
 * @param version the offset of the control record that set it, or {@link #CONFIGURED} for the
 *                service's own configuration
 */
public record LiveBudget(TeacherBudget budget, long version) {

    /** The version of a budget that no control record has changed. */
    public static final long CONFIGURED = -1;
}
