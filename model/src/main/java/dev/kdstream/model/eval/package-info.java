/** Offline evaluation: accuracy and agreement of logits against labels, and summary statistics. */
package dev.kdstream.model.eval;
