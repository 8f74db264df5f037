package dev.kdstream.contracts.records;

/**
 * A record on the {@code predictions} topic: the student's answer for one feature record, stamped
 * with the student version that made it. Key: the record id.
 *
 * @param modelVersion the student checkpoint version (>= 1)
 * @param label        the record's label when it had one (lets consumers score predictions)
 * @param servedAt     wall-clock ms when the prediction was made
 * @param student      the trainer id of the student that made it (null from servers before students had names)
 */
public record Prediction(String id, long ts, int predictedClass, double[] probabilities, long modelVersion,
                         String ensembleVersion, Integer label, String split, long servedAt, String student) {
}
