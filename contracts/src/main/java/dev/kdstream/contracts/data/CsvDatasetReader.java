package dev.kdstream.contracts.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a numeric CSV file (as written by pandas {@code to_csv(index=False)}) into a {@link Dataset}.
 *
 * <p>Format: a header row naming the columns, then one row per sample. Every column is a finite
 * number except the one named {@value #LABEL_COLUMN} (any position), which holds a class index
 * {@code 0..C-1} written as a plain non-negative integer ({@code 1}, not {@code 1.0}). Fields are
 * separated by commas and trimmed; there is no quoting, since numeric data never needs it. LF and
 * CRLF line ends, a trailing newline and a UTF-8 byte order mark are accepted.
 *
 * <p>Blank (empty or whitespace-only) lines are skipped wherever they are, as pandas does by
 * default; they still count for line numbers, so a reported line is the line an editor shows.
 *
 * <p>Any bad input stops the read with a {@link DataFormatException} naming file, line and column.
 */
public final class CsvDatasetReader {

    public static final String LABEL_COLUMN = "label";

    /** How many column names a "no label column" message lists before eliding the rest. */
    private static final int NAMES_SHOWN = 10;

    private CsvDatasetReader() {
    }

    /** Reads {@code file}; the class count is max(label) + 1, and at least 2. */
    public static Dataset read(final Path file) {
        return read(file, 2);
    }

    /**
     * Reads {@code file} with at least {@code minClasses} classes, so a test file that happens to
     * lack the highest class still agrees with its training file on C.
     */
    public static Dataset read(final Path file, final int minClasses) {
        if (minClasses < 2) {
            throw new IllegalArgumentException("minClasses must be at least 2, got " + minClasses);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file, in, minClasses);
        } catch (final NoSuchFileException e) {
            throw new DataFormatException(file, 0, null, "file not found", e);
        } catch (final IOException e) {
            throw new DataFormatException(file, 0, null, "cannot read the file (" + e + ")", e);
        }
    }

    private static Dataset parse(final Path file, final BufferedReader in, final int minClasses)
            throws IOException {
        int lineNo = 0;
        String line;
        do {
            line = in.readLine();
            lineNo++;
        } while (line != null && line.isBlank());
        if (line == null) {
            throw new DataFormatException(file, 0, null, "file is empty, expected a header row");
        }
        final String[] names = header(file, lineNo, stripByteOrderMark(line));
        final int labelIndex = labelIndex(file, lineNo, names);
        final int fields = names.length;

        final List<double[]> rows = new ArrayList<>();
        int[] labels = new int[1024];
        int maxLabel = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            final double[] row = new double[fields - 1];
            int label = 0;
            int start = 0;
            for (int c = 0; c < fields; c++) {
                final boolean last = c == fields - 1;
                int end = line.indexOf(',', start);
                if (last ? end >= 0 : end < 0) {
                    throw new DataFormatException(file, lineNo, null,
                            "expected " + fields + " fields, found " + countFields(line));
                }
                if (last) {
                    end = line.length();
                }
                final String field = line.substring(start, end).trim();
                if (c == labelIndex) {
                    label = parseLabel(file, lineNo, names[c], field);
                } else {
                    row[c < labelIndex ? c : c - 1] = parseFeature(file, lineNo, names[c], field);
                }
                start = end + 1;
            }
            if (rows.size() == labels.length) {
                labels = Arrays.copyOf(labels, labels.length * 2);
            }
            labels[rows.size()] = label;
            rows.add(row);
            maxLabel = Math.max(maxLabel, label);
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(file, 0, null, "no data rows after the header");
        }
        final Path name = file.getFileName();
        return new Dataset(String.valueOf(name == null ? file : name), rows.toArray(new double[0][]),
                Arrays.copyOf(labels, rows.size()), Math.max(minClasses, maxLabel + 1));
    }

    private static String[] header(final Path file, final int lineNo, final String line) {
        final String[] names = line.split(",", -1);
        final Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < names.length; c++) {
            names[c] = names[c].trim();
            if (names[c].isEmpty()) {
                throw new DataFormatException(file, lineNo, null, "column " + (c + 1) + " has an empty name");
            }
            final Integer earlier = seen.putIfAbsent(names[c], c);
            if (earlier != null) {
                throw new DataFormatException(file, lineNo, names[c],
                        "duplicate column name (columns " + (earlier + 1) + " and " + (c + 1) + ")");
            }
        }
        return names;
    }

    private static int labelIndex(final Path file, final int lineNo, final String[] names) {
        final int index = Arrays.asList(names).indexOf(LABEL_COLUMN);
        if (index < 0) {
            final List<String> first = Arrays.asList(names).subList(0, Math.min(names.length, NAMES_SHOWN));
            final String shown = String.join(", ", first);
            throw new DataFormatException(file, lineNo, null, "no \"" + LABEL_COLUMN + "\" column (columns: "
                    + shown + (names.length > NAMES_SHOWN ? ", ..." : "") + ")");
        }
        if (names.length == 1) {
            throw new DataFormatException(file, lineNo, null, "no feature columns besides \"" + LABEL_COLUMN + "\"");
        }
        return index;
    }

    private static double parseFeature(final Path file, final int lineNo, final String column, final String field) {
        if (field.isEmpty()) {
            throw new DataFormatException(file, lineNo, column, "empty value");
        }
        // Double.parseDouble also takes "NaN", "Infinity", hex and a trailing 'd' or 'f': a cheap
        // character check keeps the format to plain decimals without a regex per field.
        for (int i = 0; i < field.length(); i++) {
            final char ch = field.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E')) {
                throw new DataFormatException(file, lineNo, column, nonNumeric(field));
            }
        }
        final double value;
        try {
            value = Double.parseDouble(field);
        } catch (final NumberFormatException e) {
            throw new DataFormatException(file, lineNo, column, "\"" + field + "\" is not a number");
        }
        if (!Double.isFinite(value)) {
            throw new DataFormatException(file, lineNo, column, "\"" + field + "\" is out of range for a double");
        }
        return value;
    }

    private static String nonNumeric(final String field) {
        final String word = (field.startsWith("-") || field.startsWith("+") ? field.substring(1) : field)
                .toLowerCase(Locale.ROOT);
        if (word.equals("nan") || word.equals("inf") || word.equals("infinity")) {
            return "\"" + field + "\" is not allowed, values must be finite numbers";
        }
        return "\"" + field + "\" is not a number";
    }

    private static int parseLabel(final Path file, final int lineNo, final String column, final String field) {
        if (field.isEmpty()) {
            throw new DataFormatException(file, lineNo, column, "empty value");
        }
        for (int i = 0; i < field.length(); i++) {
            final char ch = field.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new DataFormatException(file, lineNo, column,
                        "\"" + field + "\" is not a class index (a non-negative integer)");
            }
        }
        try {
            final int label = Integer.parseInt(field);
            // numClasses = max label + 1 must still be an int
            if (label < Integer.MAX_VALUE) {
                return label;
            }
        } catch (final NumberFormatException e) {
            // falls through to the same message as Integer.MAX_VALUE
        }
        throw new DataFormatException(file, lineNo, column, "class index \"" + field + "\" is too large");
    }

    private static int countFields(final String line) {
        int n = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }

    private static String stripByteOrderMark(final String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }
}
