package dev.kdstream.model.definition;

import java.util.ArrayList;
import java.util.List;

/** The layer widths of a fully connected network, input first and classes last. */
public record MlpShape(List<Integer> widths) {

    public MlpShape {
        widths = List.copyOf(widths);
        if (widths.size() < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        }
    }

    public static MlpShape of(final int inputs, final List<Integer> hidden, final int classes) {
        final List<Integer> w = new ArrayList<>();
        w.add(inputs);
        w.addAll(hidden);
        w.add(classes);
        return new MlpShape(w);
    }

    /** Weights plus biases: sum over layers of in * out + out. */
    public long parameterCount() {
        long n = 0;
        for (int i = 1; i < widths.size(); i++) {
            n += (long) widths.get(i - 1) * widths.get(i) + widths.get(i);
        }
        return n;
    }

    public int inputs() {
        return widths.get(0);
    }

    public int classes() {
        return widths.get(widths.size() - 1);
    }

    @Override
    public String toString() {
        return String.join("-", widths.stream().map(String::valueOf).toList());
    }
}
