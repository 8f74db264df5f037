package dev.kdstream.student.checkpoint;

/**
 * Another trainer with the same {@code trainer.id} started and took over its checkpoints: this one
 * must stop, or two trainers would publish competing lineages under one id.
 */
public final class TrainerFencedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrainerFencedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
