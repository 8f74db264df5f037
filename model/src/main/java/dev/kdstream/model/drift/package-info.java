/**
 * Change detectors over a stream of numbers (a model's 0/1 errors, a disagreement): {@link Adwin}
 * and {@link PageHinkley}, pure and single-threaded, each behind {@link DriftDetector}.
 */
package dev.kdstream.model.drift;
