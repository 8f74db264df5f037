/**
 * The canonical definitions of the models, as DL4J networks: their shapes and hyper-parameters
 * ({@link dev.kdstream.model.definition.Networks}, {@link dev.kdstream.model.definition.Hyperparameters}),
 * the distillation loss DL4J trains them with, and what a hand-written step can reproduce of them
 * ({@link dev.kdstream.model.definition.ReproducedLayers}).
 *
 * <p>DL4J, because the definition is the contract: a student defined here and saved by
 * {@link dev.kdstream.model.file} is a network any DL4J application can load and go on training, and
 * DL4J's own {@code fit()} and {@code output()} on it are the oracle the kernel is tested against.
 */
package dev.kdstream.model.definition;
