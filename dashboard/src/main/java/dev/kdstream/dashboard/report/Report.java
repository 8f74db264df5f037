package dev.kdstream.dashboard.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a report's PNGs (one per chart, named by its id) and its one-page HTML into a folder. */
public final class Report {

    /** The HTML page's file name in the report's folder. */
    public static final String PAGE = "report.html";

    private Report() {
    }

    /** @return the files written, the page last */
    public static List<Path> write(final Path dir, final String title, final String subtitle,
                                   final Map<String, String> figures, final List<ChartSpec> charts) throws IOException {
        Files.createDirectories(dir);
        final List<Path> written = new ArrayList<>();
        final List<Map.Entry<ChartSpec, byte[]>> drawn = new ArrayList<>();
        for (final ChartSpec chart : charts) {
            final byte[] png = PngChart.png(chart);
            final Path file = dir.resolve(chart.id() + ".png");
            Files.write(file, png);
            written.add(file);
            drawn.add(Map.entry(chart, png));
        }
        final Path page = dir.resolve(PAGE);
        Files.writeString(page, HtmlReport.page(title, subtitle, figures, drawn), StandardCharsets.UTF_8);
        written.add(page);
        return written;
    }
}
