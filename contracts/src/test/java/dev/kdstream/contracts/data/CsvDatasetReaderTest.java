package dev.kdstream.contracts.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvDatasetReaderTest {

    @TempDir
    Path dir;

    private Path write(final String content) throws IOException {
        return Files.writeString(dir.resolve("train.csv"), content, StandardCharsets.UTF_8);
    }

    /** Asserts that reading {@code content} fails at exactly this place. */
    private void assertFails(final String content, final int line, final String column, final String detail)
            throws IOException {
        final Path file = write(content);
        assertThatThrownBy(() -> CsvDatasetReader.read(file))
                .isInstanceOfSatisfying(DataFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.detail()).isEqualTo(detail);
                });
    }

    @Test
    void readsFeaturesAndLabels() throws IOException {
        final Dataset d = CsvDatasetReader.read(write("f0,f1,label\n1,2,0\n3.5,-4e-1,1\n"));

        assertThat(d.source()).isEqualTo("train.csv");
        assertThat(d.features()).isDeepEqualTo(new double[][] {{1, 2}, {3.5, -0.4}});
        assertThat(d.labels()).containsExactly(0, 1);
        assertThat(d.numClasses()).isEqualTo(2);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.width()).isEqualTo(2);
    }

    @Test
    void labelMayBeAnyColumn() throws IOException {
        final Dataset d = CsvDatasetReader.read(write("a,label,b\n1,2,3\n4,0,5\n"));

        assertThat(d.features()).isDeepEqualTo(new double[][] {{1, 3}, {4, 5}});
        assertThat(d.labels()).containsExactly(2, 0);
        assertThat(d.numClasses()).isEqualTo(3);
    }

    @Test
    void acceptsCrlfSpacesByteOrderMarkAndNoTrailingNewline() throws IOException {
        final Dataset d = CsvDatasetReader.read(write("\uFEFF f0 , label\r\n 1.5 ,\t1 \r\n-2, 0"));

        assertThat(d.features()).isDeepEqualTo(new double[][] {{1.5}, {-2}});
        assertThat(d.labels()).containsExactly(1, 0);
    }

    @Test
    void classCountIsMaxLabelPlusOneAndAtLeastTwo() throws IOException {
        assertThat(CsvDatasetReader.read(write("f0,label\n1,0\n2,3\n")).numClasses()).isEqualTo(4);
        assertThat(CsvDatasetReader.read(write("f0,label\n1,0\n2,0\n")).numClasses()).isEqualTo(2);
        assertThat(CsvDatasetReader.read(write("f0,label\n1,0\n2,3\n"), 10).numClasses()).isEqualTo(10);
        assertThatThrownBy(() -> CsvDatasetReader.read(dir.resolve("x.csv"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void skipsBlankLinesButCountsThem() throws IOException {
        final Dataset d = CsvDatasetReader.read(write("\nf0,label\n1,0\n\n   \n2,1\n\n"));
        assertThat(d.features()).isDeepEqualTo(new double[][] {{1}, {2}});

        assertFails("f0,label\n1,0\n\n  \nx,1\n", 5, "f0", "\"x\" is not a number");
    }

    @Test
    void reportsTheLocationInTheMessage() throws IOException {
        final Path file = write("f0,f1,f2,f3,label\n1,2,3,4,0\n1,2,3,abc,1\n");

        assertThatThrownBy(() -> CsvDatasetReader.read(file))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(file + " line 3, column f3: \"abc\" is not a number");
    }

    @Test
    void missingFile() {
        final Path file = dir.resolve("nope.csv");
        assertThatThrownBy(() -> CsvDatasetReader.read(file))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(file + ": file not found");
    }

    @Test
    void directoryIsUnreadable() {
        assertThatThrownBy(() -> CsvDatasetReader.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(dir + ": cannot read the file");
    }

    @Test
    void emptyFile() throws IOException {
        assertFails("", 0, null, "file is empty, expected a header row");
        assertFails("\n \r\n", 0, null, "file is empty, expected a header row");
    }

    @Test
    void headerOnly() throws IOException {
        assertFails("f0,label\n", 0, null, "no data rows after the header");
        assertFails("f0,label\n\n\n", 0, null, "no data rows after the header");
    }

    @Test
    void badHeaders() throws IOException {
        assertFails("f0,f1\n1,2\n", 1, null, "no \"label\" column (columns: f0, f1)");
        assertFails("f0,Label\n1,2\n", 1, null, "no \"label\" column (columns: f0, Label)");
        assertFails("f0,f1,f0,label\n1,2,3,0\n", 1, "f0", "duplicate column name (columns 1 and 3)");
        assertFails("f0,,label\n1,2,0\n", 1, null, "column 2 has an empty name");
        assertFails("label\n1\n", 1, null, "no feature columns besides \"label\"");
    }

    @Test
    void raggedRows() throws IOException {
        assertFails("f0,f1,label\n1,2,0\n1,2\n", 3, null, "expected 3 fields, found 2");
        assertFails("f0,f1,label\n1,2,0\n1,2,0,4\n", 3, null, "expected 3 fields, found 4");
        assertFails("f0,f1,label\n1,2,0,\n", 2, null, "expected 3 fields, found 4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.2.3", "0x10", "1d", "2f", "--1", "1e", "e5", "."})
    void nonNumericFeature(final String value) throws IOException {
        assertFails("f0,f1,label\n1," + value + ",0\n", 2, "f1", "\"" + value + "\" is not a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "inf", "-inf", "+Inf", "Infinity", "-Infinity"})
    void nonFiniteFeature(final String value) throws IOException {
        assertFails("f0,label\n" + value + ",0\n", 2, "f0",
                "\"" + value + "\" is not allowed, values must be finite numbers");
    }

    @Test
    void overflowingFeature() throws IOException {
        assertFails("f0,label\n1e400,0\n", 2, "f0", "\"1e400\" is out of range for a double");
    }

    @Test
    void emptyValues() throws IOException {
        assertFails("f0,f1,label\n1, ,0\n", 2, "f1", "empty value");
        assertFails("f0,f1,label\n1,2,\n", 2, "label", "empty value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-1", "x", "1.0", "+1", "1e2", "NaN"})
    void labelMustBeANonNegativeInteger(final String value) throws IOException {
        assertFails("f0,label\n1,0\n2," + value + "\n", 3, "label",
                "\"" + value + "\" is not a class index (a non-negative integer)");
    }

    @Test
    void hugeLabel() throws IOException {
        assertFails("f0,label\n1,99999999999\n", 2, "label", "class index \"99999999999\" is too large");
        assertFails("f0,label\n1,2147483647\n", 2, "label", "class index \"2147483647\" is too large");
    }

    @Test
    void reads100kRowsBy64Columns() throws IOException {
        final int rows = 100_000;
        final int columns = 64;
        final Path file = dir.resolve("big.csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int c = 0; c < columns; c++) {
                out.write("f" + c + ",");
            }
            out.write("label\n");
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    out.write(Double.toString((r * 31 + c) % 1000 / 7.0 - 70));
                    out.write(',');
                }
                out.write(Integer.toString(r % 10));
                out.write('\n');
            }
        }

        final Dataset d = CsvDatasetReader.read(file);

        assertThat(d.size()).isEqualTo(rows);
        assertThat(d.width()).isEqualTo(columns);
        assertThat(d.numClasses()).isEqualTo(10);
        assertThat(d.features()[rows - 1][columns - 1]).isEqualTo(((rows - 1) * 31 + columns - 1) % 1000 / 7.0 - 70);
    }

    @Test
    void readsTheSharedSeedData() {
        final Optional<Path> train = SharedData.file("seed_synthetic_train.csv");
        final Optional<Path> test = SharedData.file("seed_synthetic_test.csv");
        assumeThat(train).as("shared seed data").isPresent();
        assumeThat(test).as("shared seed data").isPresent();

        final Dataset d = CsvDatasetReader.read(train.get());
        final Dataset t = CsvDatasetReader.read(test.get(), d.numClasses());

        assertThat(d.source()).isEqualTo("seed_synthetic_train.csv");
        assertThat(d.size()).isEqualTo(4000);
        assertThat(d.width()).isEqualTo(20);
        assertThat(d.numClasses()).isEqualTo(2);
        assertThat(d.features()[0][0]).isEqualTo(2.0003782355892334);
        assertThat(d.features()[0][19]).isEqualTo(0.21974306175907404);
        assertThat(d.labels()[0]).isEqualTo(1);
        assertThat(t.size()).isEqualTo(1000);
        assertThat(t.width()).isEqualTo(20);
        assertThat(t.numClasses()).isEqualTo(2);
    }
}
