package dev.kdstream.bench.experiment;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.ReluLayer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * EXPERIMENT (kept for one commit, its figures in docs/benchmarks.md): ways to run the ensemble forward
 * pass of EnsembleForward, random weights of the real shape (12 teachers 20-256-128-64-2), one batch per
 * call, plus each layer on its own. Run: java -cp bench jar:classpath org.openjdk.jmh.Main ForwardVariants
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ForwardVariantsBenchmark {

    static final int T = 12;
    static final int IN = 20;
    static final int[] H = {256, 128, 64};
    static final int C = 2;

    @Param({"256"})
    public int batch;

    INDArray x;
    INDArray w1;
    INDArray[][] w = new INDArray[H.length][T];
    INDArray[] bias = new INDArray[H.length];
    float[][] biasJ = new float[H.length][];
    INDArray[][] biasT = new INDArray[H.length][T];
    INDArray wOut;
    INDArray bOut;
    INDArray[] act = new INDArray[H.length];
    INDArray[][] blocks = new INDArray[H.length][T];
    FloatBuffer[] nio = new FloatBuffer[H.length];
    INDArray logits;

    @Setup
    public void setUp() {
        x = Nd4j.randn(DataType.FLOAT, batch, IN);
        w1 = Nd4j.randn(DataType.FLOAT, IN, T * H[0]).dup('f').muli(0.2);
        for (int l = 0; l < H.length; l++) {
            bias[l] = Nd4j.randn(DataType.FLOAT, 1, T * H[l]).muli(0.1);
            biasJ[l] = bias[l].toFloatVector();
            for (int t = 0; t < T; t++) {
                biasT[l][t] = bias[l].get(NDArrayIndex.point(0), NDArrayIndex.interval(t * H[l], (t + 1) * H[l])).dup();
                if (l > 0) {
                    w[l][t] = Nd4j.randn(DataType.FLOAT, H[l - 1], H[l]).dup('f').muli(0.1);
                }
            }
            final INDArray store = Nd4j.create(DataType.FLOAT, (long) batch * T * H[l]);
            act[l] = store.reshape('f', batch, T * H[l]);
            nio[l] = store.data().asNioFloat();
            for (int t = 0; t < T; t++) {
                blocks[l][t] = act[l].get(NDArrayIndex.all(), NDArrayIndex.interval(t * H[l], (t + 1) * H[l]));
            }
        }
        wOut = Nd4j.randn(DataType.FLOAT, T * H[H.length - 1], C).dup('f');
        bOut = Nd4j.randn(DataType.FLOAT, 1, C);
        logits = Nd4j.create(DataType.FLOAT, new long[] {batch, C}, 'f');
        xf = x.dup('f');
        px = ptr(xf);
        pw1 = ptr(w1);
        pwOut = ptr(wOut);
        pLogits = ptr(logits);
        for (int l = 0; l < H.length; l++) {
            for (int t = 0; t < T; t++) {
                pAct[l][t] = ptr(blocks[l][t]);
                if (l > 0) {
                    pw[l][t] = ptr(w[l][t]);
                }
            }
        }
        // check: the variants agree
        final INDArray a = current().dup();
        final INDArray b = javaBiasRelu().dup();
        final INDArray c = cblasPrefill().dup();
        System.out.println("CHECK cblas " + a.sub(cblas()).amaxNumber() + " java - current max |d| " + a.sub(b).amaxNumber() + ", cblas - current " + a.sub(c).amaxNumber()
                + ", |current| " + a.amaxNumber());
    }

    INDArray xf;
    FloatPointer px;
    FloatPointer pw1;
    FloatPointer pwOut;
    FloatPointer pLogits;
    FloatPointer[][] pAct = new FloatPointer[H.length][T];
    FloatPointer[][] pw = new FloatPointer[H.length][T];

    private static FloatPointer ptr(final INDArray a) {
        // a view's data() already starts at its offset
        return new FloatPointer(a.data().addressPointer());
    }

    private static void sgemm(final int m, final int n, final int k, final float alpha, final FloatPointer a,
                              final FloatPointer b, final FloatPointer c) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasNoTrans, m, n, k, alpha, a, m, b, k, 0f, c, m);
    }

    @Benchmark
    public INDArray cblas() {
        sgemm(batch, T * H[0], IN, 1f, px, pw1, pAct[0][0]);
        act[0].addiRowVector(bias[0]);
        Transforms.relu(act[0], false);
        for (int l = 1; l < H.length; l++) {
            for (int t = 0; t < T; t++) {
                sgemm(batch, H[l], H[l - 1], 1f, pAct[l - 1][t], pw[l][t], pAct[l][t]);
            }
            act[l].addiRowVector(bias[l]);
            Transforms.relu(act[l], false);
        }
        sgemm(batch, C, T * H[H.length - 1], 1f / T, pAct[H.length - 1][0], pwOut, pLogits);
        logits.addiRowVector(bOut);
        return logits;
    }

    INDArray ones;
    FloatPointer pOnes;
    FloatPointer[] pBias = new FloatPointer[H.length];
    FloatPointer pbOut;

    private static void gemm(final int m, final int n, final int k, final float alpha, final FloatPointer a, final int lda,
                             final FloatPointer b, final int ldb, final float beta, final FloatPointer c) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, m);
    }

    @Benchmark
    public INDArray cblasPrefill() {
        if (ones == null) {
            ones = Nd4j.ones(DataType.FLOAT, batch);
            pOnes = ptr(ones);
            for (int l = 0; l < H.length; l++) {
                pBias[l] = ptr(bias[l]);
            }
            pbOut = ptr(bOut);
        }
        // C = ones * bias (K = 1), then C += A B
        gemm(batch, T * H[0], 1, 1f, pOnes, batch, pBias[0], 1, 0f, pAct[0][0]);
        gemm(batch, T * H[0], IN, 1f, px, batch, pw1, IN, 1f, pAct[0][0]);
        Transforms.relu(act[0], false);
        for (int l = 1; l < H.length; l++) {
            gemm(batch, T * H[l], 1, 1f, pOnes, batch, pBias[l], 1, 0f, pAct[l][0]);
            for (int t = 0; t < T; t++) {
                gemm(batch, H[l], H[l - 1], 1f, pAct[l - 1][t], batch, pw[l][t], H[l - 1], 1f, pAct[l][t]);
            }
            Transforms.relu(act[l], false);
        }
        gemm(batch, C, 1, 1f, pOnes, batch, pbOut, 1, 0f, pLogits);
        gemm(batch, C, T * H[H.length - 1], 1f / T, pAct[H.length - 1][0], batch, pwOut, T * H[H.length - 1], 1f, pLogits);
        return logits;
    }

    @Benchmark
    public INDArray cblasLayer3() {
        for (int t = 0; t < T; t++) {
            sgemm(batch, H[2], H[1], 1f, pAct[1][t], pw[2][t], pAct[2][t]);
        }
        return act[2];
    }

    INDArray t1 = Nd4j.create(DataType.FLOAT, new long[] {1, 1}, 'f');
    INDArray t2 = Nd4j.create(DataType.FLOAT, new long[] {1, 1}, 'f');
    INDArray t3 = Nd4j.create(DataType.FLOAT, new long[] {1, 1}, 'f');

    @Benchmark
    public INDArray tinyGemm() {
        return Nd4j.gemm(t1, t2, t3, false, false, 1.0, 0.0);
    }

    private INDArray out() {
        Nd4j.gemm(act[H.length - 1], wOut, logits, false, false, 1.0 / T, 0.0);
        logits.addiRowVector(bOut);
        return logits;
    }

    @Benchmark
    public INDArray current() {
        Nd4j.gemm(x, w1, act[0], false, false, 1.0, 0.0);
        act[0].addiRowVector(bias[0]);
        Transforms.relu(act[0], false);
        for (int l = 1; l < H.length; l++) {
            for (int t = 0; t < T; t++) {
                Nd4j.gemm(blocks[l - 1][t], w[l][t], blocks[l][t], false, false, 1.0, 0.0);
            }
            act[l].addiRowVector(bias[l]);
            Transforms.relu(act[l], false);
        }
        return out();
    }

    @Benchmark
    public INDArray gemmsOnly() {
        Nd4j.gemm(x, w1, act[0], false, false, 1.0, 0.0);
        for (int l = 1; l < H.length; l++) {
            for (int t = 0; t < T; t++) {
                Nd4j.gemm(blocks[l - 1][t], w[l][t], blocks[l][t], false, false, 1.0, 0.0);
            }
        }
        return out();
    }

    @Benchmark
    public INDArray javaBiasRelu() {
        Nd4j.gemm(x, w1, act[0], false, false, 1.0, 0.0);
        biasRelu(nio[0], biasJ[0], batch);
        for (int l = 1; l < H.length; l++) {
            for (int t = 0; t < T; t++) {
                Nd4j.gemm(blocks[l - 1][t], w[l][t], blocks[l][t], false, false, 1.0, 0.0);
            }
            biasRelu(nio[l], biasJ[l], batch);
        }
        return out();
    }

    private static void biasRelu(final FloatBuffer buf, final float[] b, final int n) {
        for (int j = 0; j < b.length; j++) {
            final float bj = b[j];
            final int base = j * n;
            for (int i = base; i < base + n; i++) {
                buf.put(i, Math.max(0f, buf.get(i) + bj));
            }
        }
    }

    @Benchmark
    public INDArray reluLayer() {
        relu(x, w1, bias[0].reshape(T * H[0]), act[0]);
        for (int l = 1; l < H.length; l++) {
            for (int t = 0; t < T; t++) {
                relu(blocks[l - 1][t], w[l][t], biasT[l][t].reshape(H[l]), blocks[l][t]);
            }
        }
        return out();
    }

    private static void relu(final INDArray in, final INDArray w, final INDArray b, final INDArray out) {
        final ReluLayer op = new ReluLayer();
        op.addInputArgument(in, w, b);
        op.addOutputArgument(out);
        Nd4j.exec(op);
    }

    @Benchmark
    public INDArray layer1() {
        return Nd4j.gemm(x, w1, act[0], false, false, 1.0, 0.0);
    }

    @Benchmark
    public INDArray layer2() {
        for (int t = 0; t < T; t++) {
            Nd4j.gemm(blocks[0][t], w[1][t], blocks[1][t], false, false, 1.0, 0.0);
        }
        return act[1];
    }

    @Benchmark
    public INDArray layer3() {
        for (int t = 0; t < T; t++) {
            Nd4j.gemm(blocks[1][t], w[2][t], blocks[2][t], false, false, 1.0, 0.0);
        }
        return act[2];
    }

    @Benchmark
    public INDArray biasRelu1() {
        act[0].addiRowVector(bias[0]);
        return Transforms.relu(act[0], false);
    }

    @Benchmark
    public INDArray output() {
        return out();
    }
}
