package dev.kdstream.dashboard.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page: a table of figures and the charts as inline PNGs (no file beside
 * it, no script, no network), so it can be mailed or attached to an issue as it is.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    /**
     * @param figures name to the figure as printed, in order
     * @param charts  a chart's title to its PNG
     */
    public static String page(final String title, final String subtitle, final Map<String, String> figures,
                              final List<Map.Entry<ChartSpec, byte[]>> charts) {
        final StringBuilder html = new StringBuilder();
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,'DejaVu Sans',sans-serif;color:#1d2330;max-width:960px;")
                .append("margin:24px auto;padding:0 16px}h1{font-size:20px;margin-bottom:2px}")
                .append(".sub{color:#6b7280;margin-top:0}table{border-collapse:collapse;margin:16px 0}")
                .append("td{padding:3px 14px 3px 0;border-bottom:1px solid #e3e6eb}")
                .append("td:last-child{font-variant-numeric:tabular-nums}")
                .append("figure{margin:18px 0}figcaption{color:#6b7280;font-size:12px}img{max-width:100%}")
                .append("</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n<p class=\"sub\">")
                .append(escape(subtitle)).append("</p>\n<table>\n");
        figures.forEach((name, value) -> html.append("<tr><td>").append(escape(name)).append("</td><td>")
                .append(escape(value)).append("</td></tr>\n"));
        html.append("</table>\n");
        for (final Map.Entry<ChartSpec, byte[]> chart : charts) {
            html.append("<figure><img alt=\"").append(escape(chart.getKey().title()))
                    .append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(chart.getValue())).append("\">");
            if (!chart.getKey().note().isEmpty()) {
                html.append("<figcaption>").append(escape(chart.getKey().note())).append("</figcaption>");
            }
            html.append("</figure>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
