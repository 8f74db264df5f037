package dev.kdstream.dashboard.scrape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4), what every service's
 * {@code /metrics} writes: one sample per line, {@code #} lines are comments. A line that does not
 * parse is skipped and counted, never fatal: the page shows what it could read.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The samples of an exposition, and how many non-comment lines could not be read. */
    public record Parsed(List<Sample> samples, int unreadableLines) {
    }

    public static Parsed parse(final String text) {
        final List<Sample> samples = new ArrayList<>();
        int unreadable = 0;
        for (final String raw : text.split("\n")) {
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final Sample sample = line(line);
            if (sample == null) {
                unreadable++;
            } else {
                samples.add(sample);
            }
        }
        return new Parsed(List.copyOf(samples), unreadable);
    }

    /** One sample line, or null when it is not one. */
    static Sample line(final String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        final String name = line.substring(0, i);
        final Map<String, String> labels = new HashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        // the value, then an optional timestamp this reader has no use for
        final String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        final Double value = number(rest[0]);
        return value == null ? null : new Sample(name, labels, value);
    }

    /** Reads {@code key="value",...}} from {@code from}; returns the index after '}', or -1. */
    private static int labels(final String line, final int from, final Map<String, String> into) {
        int i = from;
        while (true) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
                i++;
            }
            if (i >= line.length()) {
                return -1;
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            final int keyStart = i;
            while (i < line.length() && isNameChar(line.charAt(i), i == keyStart)) {
                i++;
            }
            if (i == keyStart || i + 1 >= line.length() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                return -1;
            }
            final String key = line.substring(keyStart, i);
            i += 2;
            final StringBuilder value = new StringBuilder();
            while (i < line.length() && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= line.length()) {
                        return -1;
                    }
                    final char escaped = line.charAt(++i);
                    c = escaped == 'n' ? '\n' : escaped;
                }
                value.append(c);
                i++;
            }
            if (i >= line.length()) {
                return -1;
            }
            into.put(key, value.toString());
            i++;
        }
    }

    private static Double number(final String s) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    private static boolean isNameChar(final char c, final boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }
}
