package dev.kdstream.contracts.data;

import java.nio.file.Path;

/**
 * Bad input data, located precisely enough to fix it by hand:
 * {@code train.csv line 17, column f3: "abc" is not a number}.
 *
 * <p>Lines are 1-based and count every physical line, so the header is line 1 and the numbers
 * match what an editor shows. Line 0 means the problem concerns the whole file (missing,
 * unreadable, empty, no rows) and is left out of the message.
 */
public final class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String column;
    private final String detail;

    public DataFormatException(final Path file, final int line, final String column, final String detail) {
        this(file, line, column, detail, null);
    }

    public DataFormatException(final Path file, final int line, final String column, final String detail,
                               final Throwable cause) {
        super(format(file, line, column, detail), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The file as the caller named it. */
    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    /** Name of the offending column, or {@code null} when no single column is at fault. */
    public String column() {
        return column;
    }

    /** The message without the location prefix. */
    public String detail() {
        return detail;
    }

    private static String format(final Path file, final int line, final String column, final String detail) {
        final StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(" line ").append(line);
        }
        if (column != null) {
            sb.append(line > 0 ? ", column " : " column ").append(column);
        }
        return sb.append(": ").append(detail).toString();
    }
}
