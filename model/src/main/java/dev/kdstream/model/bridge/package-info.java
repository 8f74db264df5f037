/**
 * The one place where the kernel meets DL4J: DL4J's Adam configuration as a kernel
 * {@link dev.kdstream.model.kernel.Adam}, and a student network's parameters, Adam moments and
 * iteration count copied into an {@link dev.kdstream.model.kernel.Mlp} or a
 * {@link dev.kdstream.model.kernel.StudentOptimizer}, and back, by the network's own parameter and
 * updater-state layout. Apart from the kernel so the kernel stays free of DL4J, and apart from the
 * definitions because it depends on both.
 */
package dev.kdstream.model.bridge;
