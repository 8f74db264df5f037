/**
 * The models of kd-stream, by role, one sub-package each:
 * <ul>
 *   <li>{@link dev.kdstream.model.definition}: what a teacher and a student ARE, as DL4J networks;</li>
 *   <li>{@link dev.kdstream.model.file}: how they are stored, in DL4J's model format plus a manifest;</li>
 *   <li>{@link dev.kdstream.model.kernel}: the maths that runs on the stream, in plain Java;</li>
 *   <li>{@link dev.kdstream.model.bridge}: weights and optimiser state between a DL4J network and the kernel;</li>
 *   <li>{@link dev.kdstream.model.training} and {@link dev.kdstream.model.eval}: offline epochs, accuracy.</li>
 * </ul>
 * Weights travel through DL4J, but DL4J computes nothing on the stream: its fixed cost per call is
 * larger than a student's whole step (docs/platform.md, "DL4J fixed cost per call"). It keeps the
 * roles where it is the right tool: the canonical model definition, the file a distilled student is
 * deployed as (loadable by any DL4J application), and the oracle the kernel is tested against.
 *
 * <p>The teachers' batched forward pass is not here: it runs on OpenBLAS GEMMs (a batch of records
 * through twelve networks is work enough for a BLAS call) and only the teacher service uses it
 * ({@code dev.kdstream.teacher.inference}).
 */
package dev.kdstream.model;
