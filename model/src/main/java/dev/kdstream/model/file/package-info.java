/**
 * Model and checkpoint files: a DL4J network (parameters and updater state, in DL4J's own format)
 * plus a JSON manifest (role, version, shape, hyper-parameters, scaler), in one archive.
 *
 * <p>DL4J's format, because a distilled student is deployed as a file: it must stay loadable by any
 * DL4J application, with its optimiser state, whatever computed its weights.
 */
package dev.kdstream.model.file;
