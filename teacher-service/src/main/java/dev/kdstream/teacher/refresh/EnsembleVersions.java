package dev.kdstream.teacher.refresh;

/**
 * Ensemble versions as the teacher stamps them on soft targets: the version of the file it loaded
 * ({@code ensemble-20261207T071328Z-s0}) and, after each refresh, that plus one
 * ({@code ensemble-20261207T071328Z-s0+1}, {@code +2}, ...). Pure.
 */
public final class EnsembleVersions {

    /** Longest refresh count read as one; anything longer is part of the base. */
    private static final int MAX_DIGITS = 9;

    private EnsembleVersions() {
    }

    /** {@code version} + 1. */
    public static String next(final String version) {
        return base(version) + "+" + (refreshes(version) + 1);
    }

    /** The refreshes since the loaded file: 0 for its own version. */
    static long refreshes(final String version) {
        final int plus = suffixAt(version);
        return plus < 0 ? 0 : Long.parseLong(version.substring(plus + 1));
    }

    static String base(final String version) {
        final int plus = suffixAt(version);
        return plus < 0 ? version : version.substring(0, plus);
    }

    /** Where the {@code +n} suffix starts, or -1 for none. */
    private static int suffixAt(final String version) {
        final int plus = version.lastIndexOf('+');
        final String digits = plus < 0 ? "" : version.substring(plus + 1);
        return plus > 0 && !digits.isEmpty() && digits.length() <= MAX_DIGITS
                && digits.chars().allMatch(c -> c >= '0' && c <= '9') ? plus : -1;
    }
}
