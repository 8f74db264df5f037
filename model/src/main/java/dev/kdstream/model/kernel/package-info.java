/**
 * The maths that runs on the stream, in plain Java with no DL4J or ND4J: the student's
 * {@link dev.kdstream.model.kernel.Mlp} (one forward for serving, scoring and training, and its
 * backward), the {@link dev.kdstream.model.kernel.StudentOptimizer} step on it, the one
 * {@link dev.kdstream.model.kernel.Adam}, the one softmax and loss gradient
 * ({@link dev.kdstream.model.kernel.Probabilities}) and the one scaler
 * ({@link dev.kdstream.model.kernel.Standardizer}).
 *
 * <p>Plain Java, because ND4J's fixed cost per op call exceeds the arithmetic of a student's whole
 * step or a one-record prediction (docs/platform.md, "DL4J fixed cost per call"). The kernel computes
 * what DL4J 1.0.0-M2.1 computes, in float, so its weights can be written into a DL4J network
 * ({@link dev.kdstream.model.bridge}) and saved in DL4J's format; tests hold it to DL4J's results.
 */
package dev.kdstream.model.kernel;
