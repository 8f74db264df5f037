/**
 * Offline training loops: epochs of shuffled minibatches, for the teachers and the offline
 * experiment's students. The step itself is the caller's (the kernel's optimiser, or DL4J's).
 */
package dev.kdstream.model.training;
