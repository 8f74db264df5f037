#!/bin/sh
# The image's entry point: ./kd's JVM settings, without its build step (the image is built).
# Reads OMP_NUM_THREADS, OPENBLAS_CORETYPE, KD_HEAP, KD_LOG_LEVEL and KD_JAVA_OPTS, as ./kd does;
# every other setting reaches the services as KD_* variables (ConfigKey) or KD_CONFIG.
set -eu

# ND4J: one OpenMP thread. Two threads on two shared cores are 4-5x slower; kd-stream
# parallelises with Java threads instead.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# OpenBLAS 0.3.19 does not know recent AMD cores and falls back to AVX2 kernels; pick its
# AVX-512 kernels where the CPU has them (elsewhere they would die with an illegal instruction).
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -q -m1 avx512f /proc/cpuinfo 2>/dev/null; then
    export OPENBLAS_CORETYPE=SKYLAKEX
fi

# /app/classpath.args: "-cp <the launcher's runtime classpath>", in Maven's order
# shellcheck disable=SC2086 # KD_JAVA_OPTS is a list of options
exec java \
    -Xmx"${KD_HEAP:-4g}" \
    -XX:+UseParallelGC \
    -Dorg.bytedeco.javacpp.maxphysicalbytes=0 \
    -Dorg.bytedeco.javacpp.maxbytes=0 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel="${KD_LOG_LEVEL:-warn}" \
    ${KD_JAVA_OPTS:-} \
    @/app/classpath.args \
    dev.kdstream.launcher.Kd "$@"
