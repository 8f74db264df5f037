package dev.kdstream.model.served;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.kdstream.model.bridge.NetworkBridge;
import dev.kdstream.model.definition.StudentModel;
import dev.kdstream.model.kernel.Mlp;
import dev.kdstream.model.kernel.Probabilities;
import dev.kdstream.model.kernel.Standardizer;

/**
 * The student a prediction server answers with: a checkpoint's weights on the kernel's forward
 * pass ({@link Mlp}), one record at a time. ND4J's fixed cost per call dwarfs the arithmetic of a
 * 3.5k-parameter MLP (docs/platform.md, "DL4J fixed cost per call"), so serving does not call DL4J.
 *
 * <p>Takes RAW features: the scaler fitted with the ensemble is applied first, so {@link #logits}
 * equals {@link StudentModel#logits} on the scaled features.
 *
 * <p>Immutable and thread-safe: the weights are copied once, when a checkpoint is loaded, and never
 * changed; the scaled input and hidden activations go to per-thread scratch, so a call allocates
 * only the array it returns.
 */
public final class ServedStudent {

    /**
     * Per thread: the scaled input, the hidden activations and the float logits, grown to the
     * widest student the thread has served. ONE ThreadLocal for the class, not one per instance: a
     * server makes a new ServedStudent for every checkpoint, and a ThreadLocal per instance would
     * leave a stale entry per checkpoint in the stream thread's map, for every lookup to probe past.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final long version;
    private final String ensembleVersion;
    private final Standardizer scaler;
    private final Mlp mlp;

    private ServedStudent(final long version, final String ensembleVersion, final Standardizer scaler,
                          final Mlp mlp) {
        this.version = version;
        this.ensembleVersion = ensembleVersion;
        this.scaler = scaler;
        this.mlp = mlp;
    }

    /** From a student as loaded from a checkpoint, with the manifest's version and scaler. */
    public static ServedStudent of(final StudentModel student) {
        return of(student.network(), student.manifest().scaler(), student.manifest().version(),
                student.manifest().ensembleVersion());
    }

    /**
     * Copies the parameters of a student network.
     *
     * @param scaler the scaler the network's inputs were standardised with
     */
    public static ServedStudent of(final MultiLayerNetwork network, final Standardizer scaler, final long version,
                                   final String ensembleVersion) {
        if (scaler == null) {
            throw new IllegalArgumentException("the student has no scaler: it cannot take raw features");
        }
        final Mlp mlp = NetworkBridge.mlpOf(network);
        if (scaler.width() != mlp.inputs()) {
            throw new IllegalArgumentException("the scaler has " + scaler.width() + " columns but the network takes "
                    + mlp.inputs() + " inputs");
        }
        return new ServedStudent(version, ensembleVersion, scaler, mlp);
    }

    /** The logits for one record of raw (unscaled) features. */
    public double[] logits(final double[] rawFeatures) {
        if (rawFeatures.length != mlp.inputs()) {
            throw new IllegalArgumentException("expected " + mlp.inputs() + " features, got " + rawFeatures.length);
        }
        final Scratch scratch = SCRATCH.get().fit(mlp);
        scaler.transform(rawFeatures, scratch.input);
        mlp.forward(scratch.input, scratch.hidden, scratch.logits);
        final double[] logits = new double[mlp.classes()];
        for (int c = 0; c < logits.length; c++) {
            logits[c] = scratch.logits[c];
        }
        return logits;
    }

    /** softmax(logits): the class probabilities for one record of raw features. */
    public double[] probabilities(final double[] rawFeatures) {
        final double[] p = logits(rawFeatures);
        Probabilities.softmax(p, 1.0, p);
        return p;
    }

    /** The checkpoint version these weights come from. */
    public long version() {
        return version;
    }

    /** The ensemble whose soft targets the student learned from. */
    public String ensembleVersion() {
        return ensembleVersion;
    }

    public int inputWidth() {
        return mlp.inputs();
    }

    public int numClasses() {
        return mlp.classes();
    }

    /** Every weight and bias a finite number (the scaler's are checked when it is made). */
    public boolean finite() {
        for (final float p : mlp.parameters()) {
            if (!Float.isFinite(p)) {
                return false;
            }
        }
        return true;
    }

    /** Layer widths, input first, classes last. */
    public List<Integer> widths() {
        final List<Integer> list = new ArrayList<>();
        for (final int w : mlp.widths()) {
            list.add(w);
        }
        return List.copyOf(list);
    }

    @Override
    public String toString() {
        return "ServedStudent[version=" + version + ", ensemble=" + ensembleVersion + ", widths=" + widths() + "]";
    }

    /** One thread's buffers, grown (never shrunk) to the widest student it has served. */
    private static final class Scratch {
        private float[] input = new float[0];
        private final float[][] hidden = new float[2][0];
        private float[] logits = new float[0];

        Scratch fit(final Mlp mlp) {
            if (input.length < mlp.inputs()) {
                input = new float[mlp.inputs()];
            }
            if (hidden[0].length < mlp.maxHidden()) {
                hidden[0] = new float[mlp.maxHidden()];
                hidden[1] = new float[mlp.maxHidden()];
            }
            if (logits.length < mlp.classes()) {
                logits = new float[mlp.classes()];
            }
            return this;
        }
    }
}
