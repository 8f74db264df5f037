package dev.kdstream.teacher.gemm;

import java.lang.ref.Reference;
import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code C = alpha * op(A) * op(B) + beta * C} on float ND4J arrays, straight into the OpenBLAS
 * that ND4J itself calls ({@code cblas_sgemm} of JavaCPP's {@code openblas_nolapack}, the same
 * library, kernels and thread setting). {@code Nd4j.gemm} costs about 25 us per call before the
 * BLAS starts, more than a whole small GEMM of the ensemble; this costs a JNI call
 * (docs/platform.md, "ND4J's cost per GEMM").
 *
 * <p>A and B may be column-major or row-major, C must be column-major, each contiguous with unit
 * stride along its leading dimension (views of one column block of an 'f' matrix are). The
 * arrays must be FLOAT and stay referenced during the call; nothing is copied.
 */
public final class Sgemm {

    private Sgemm() {
    }

    /** {@code c = alpha * op(a) * op(b) + beta * c}, op transposing where asked. */
    public static void gemm(final INDArray a, final boolean transposeA, final INDArray b, final boolean transposeB,
                            final INDArray c, final float alpha, final float beta) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("A, B and C must be matrices, got shapes " + Arrays.toString(a.shape())
                    + ", " + Arrays.toString(b.shape()) + ", " + Arrays.toString(c.shape()));
        }
        final long m = c.size(0);
        final long n = c.size(1);
        final long k = transposeA ? a.size(0) : a.size(1);
        if ((transposeA ? a.size(1) : a.size(0)) != m || (transposeB ? b.size(0) : b.size(1)) != n
                || (transposeB ? b.size(1) : b.size(0)) != k) {
            throw new IllegalArgumentException("shapes do not multiply: A " + Arrays.toString(a.shape())
                    + (transposeA ? "^T" : "") + ", B " + Arrays.toString(b.shape()) + (transposeB ? "^T" : "")
                    + ", C " + Arrays.toString(c.shape()));
        }
        if (m == 0 || n == 0) {
            return;
        }
        final Operand opA = Operand.of(a, transposeA, "A");
        final Operand opB = Operand.of(b, transposeB, "B");
        final Operand opC = Operand.of(c, false, "C");
        if (opC.transposed) {
            throw new IllegalArgumentException("C must be column-major, got strides " + Arrays.toString(c.stride()));
        }
        try {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, opA.trans(), opB.trans(),
                    (int) m, (int) n, (int) k, alpha, opA.pointer, opA.leading, opB.pointer, opB.leading,
                    beta, opC.pointer, opC.leading);
        } finally {
            // the pointers do not keep the arrays alive: a temporary operand must not be freed mid-call
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
            Reference.reachabilityFence(c);
        }
    }

    /**
     * {@code x} as a FLOAT matrix {@link #gemm} can read: itself when it is one, else a row-major
     * copy (a cast, or a non-contiguous view, as a row block of a column-major matrix is).
     */
    public static INDArray readableFloats(final INDArray x) {
        if (x.dataType() == DataType.FLOAT) {
            return readable(x) ? x : x.dup('c');
        }
        final INDArray cast = x.castTo(DataType.FLOAT);
        return readable(cast) ? cast : cast.dup('c');
    }

    /** Whether {@link #gemm} can read {@code x} as it is: a matrix, column- or row-major, contiguous. */
    public static boolean readable(final INDArray x) {
        return x.rank() == 2 && (columnMajor(x) || rowMajor(x));
    }

    private static boolean columnMajor(final INDArray x) {
        return (x.stride(0) == 1 || x.size(0) == 1) && (x.stride(1) == x.size(0) || x.size(1) == 1);
    }

    private static boolean rowMajor(final INDArray x) {
        return (x.stride(1) == 1 || x.size(1) == 1) && (x.stride(0) == x.size(1) || x.size(0) == 1);
    }

    /**
     * An array as BLAS sees it: column-major with its leading dimension, a row-major array being
     * its column-major transpose.
     */
    private record Operand(FloatPointer pointer, int leading, boolean transposed) {

        static Operand of(final INDArray x, final boolean transpose, final String name) {
            if (x.dataType() != DataType.FLOAT || x.rank() != 2) {
                throw new IllegalArgumentException(name + " must be a FLOAT matrix, got " + x.dataType() + " of shape "
                        + Arrays.toString(x.shape()));
            }
            final boolean columnMajor = columnMajor(x);
            if (!columnMajor && !rowMajor(x)) {
                throw new IllegalArgumentException(name + " is not contiguous: shape " + Arrays.toString(x.shape())
                        + ", strides " + Arrays.toString(x.stride()) + " (dup() it first)");
            }
            // data() of a view starts at the view's first element; a FLOAT buffer's pointer is a FloatPointer
            final FloatPointer pointer = (FloatPointer) x.data().addressPointer();
            return columnMajor
                    ? new Operand(pointer, (int) Math.max(1, x.size(0)), transpose)
                    : new Operand(pointer, (int) Math.max(1, x.size(1)), !transpose);
        }

        int trans() {
            return transposed ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        }
    }
}
