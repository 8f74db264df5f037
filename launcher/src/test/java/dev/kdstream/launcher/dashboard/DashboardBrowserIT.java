package dev.kdstream.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.kdstream.dashboard.scrape.PrometheusText;
import dev.kdstream.dashboard.scrape.Sample;

/**
 * The live page in a real browser: a real {@code ./kd stack} (its own JVM, on small data) serves
 * it, headless Chromium opens it, and the test checks that every chart has data and that the
 * numbers on the page are the ones the services' {@code /metrics} publish.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration STACK_TIMEOUT = Duration.ofMinutes(4);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void thePageDrawsTheRunAndShowsWhatMetricsSay(@TempDir final Path dir) throws Exception {
        requireChromium();
        final Path log = dir.resolve("stack.log");
        final Process stack = startStack(dir, log);
        try {
            final String output = awaitLine(stack, log, "The stack keeps running");
            final String page = find(output, "dashboard: (http://localhost:\\d+/)");
            final String studentMetrics = find(output, "student (http://localhost:\\d+/metrics)");
            final WebDriver browser = chromium();
            try {
                browser.get(page);
                final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                // every learning and flow chart has points (the stream has gone through by now)
                for (final String chart : List.of("prequential", "holdout", "recovered", "agreement", "kl", "records",
                        "trained", "throughput", "versions")) {
                    wait.until(b -> Integer.parseInt(b.findElement(By.id("chart-" + chart))
                            .getAttribute("data-points")) > 0);
                    assertThat(browser.findElement(By.cssSelector("#chart-" + chart + " canvas")).isDisplayed())
                            .as(chart).isTrue();
                }
                // the page ticks once a second: wait for a tick after this scrape, then compare
                final Map<String, Double> metrics = scrape(studentMetrics);
                final long seq = Long.parseLong(browser.findElement(By.tagName("body")).getAttribute("data-seq"));
                wait.until(b -> Long.parseLong(b.findElement(By.tagName("body")).getAttribute("data-seq")) > seq + 1);
                assertTile(browser, "holdout-teacher", metrics.get("kd_accuracy{eval=holdout,model=teacher}"));
                assertTile(browser, "holdout-distilled", metrics.get("kd_accuracy{eval=holdout,model=distilled}"));
                assertTile(browser, "holdout-baseline", metrics.get("kd_accuracy{eval=holdout,model=baseline}"));
                assertTile(browser, "serving", metrics.get("kd_model_version{model=distilled,stage=serving}"));
                final double recovered = metrics.get("kd_knowledge_recovered{eval=holdout}");
                final WebElement recoveredTile = browser.findElement(By.id("tile-recovered"));
                if (Double.isNaN(recovered)) {
                    assertThat(recoveredTile.getAttribute("data-value")).isEqualTo("null");
                    assertThat(recoveredTile.findElement(By.className("value")).getText()).isEqualTo("undefined");
                } else {
                    assertTile(browser, "recovered", recovered);
                }
                final long records = Math.round(metrics.get("kd_evaluated_records{eval=holdout}"));
                assertThat(browser.findElement(By.cssSelector("#tile-holdout-distilled .detail")).getText())
                        .contains(String.format("%,d records", records));
                assertThat(browser.findElement(By.cssSelector("#tile-ensemble .value")).getText())
                        .startsWith("ensemble-");
                assertThat(browser.findElement(By.id("sources")).findElements(By.cssSelector(".source.up")))
                        .hasSize(3);
                assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("NaN", "Infinity");
                Files.write(Path.of("target", "dashboard-browser-it.png"),
                        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        } finally {
            stack.destroy();
            if (!stack.waitFor(60, TimeUnit.SECONDS)) {
                stack.destroyForcibly();
            }
        }
    }

    private static void assertTile(final WebDriver browser, final String tile, final Double expected) {
        assertThat(expected).as("/metrics has the figure of tile " + tile).isNotNull();
        final WebElement element = browser.findElement(By.id("tile-" + tile));
        assertThat(Double.parseDouble(element.getAttribute("data-value"))).as(tile).isEqualTo(expected);
        assertThat(element.findElement(By.className("value")).getText()).as(tile + " as printed")
                .isEqualTo(tile.startsWith("holdout") || tile.equals("recovered")
                        ? String.format(java.util.Locale.ROOT, "%.2f %%", 100 * expected)
                        : String.format(java.util.Locale.ROOT, "%,d", Math.round(expected)));
    }

    /** The student's samples by name and labels (without {@code service}), e.g. {@code kd_accuracy{eval=holdout,model=teacher}}. */
    private static Map<String, Double> scrape(final String url) throws IOException, InterruptedException {
        final String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        final Map<String, Double> byName = new java.util.HashMap<>();
        for (final Sample s : PrometheusText.parse(body).samples()) {
            final java.util.TreeMap<String, String> labels = new java.util.TreeMap<>(s.labels());
            labels.remove("service");
            final List<String> pairs = new ArrayList<>();
            labels.forEach((k, v) -> pairs.add(k + "=" + v));
            byName.put(s.name() + (pairs.isEmpty() ? "" : "{" + String.join(",", pairs) + "}"), s.value());
        }
        return byName;
    }

    private static Process startStack(final Path dir, final Path log) throws IOException {
        final String classpath = Path.of("target", "launcher-0.1.0-SNAPSHOT.jar").toAbsolutePath() + ":"
                + Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", classpath, "dev.kdstream.launcher.Kd", "stack",
                "--epochs", "3", "--rate", "3000", "--port", Integer.toString(freePort()),
                "--dashboard-port", "0", "--data-dir", dir.resolve("kd").toString());
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    private static String awaitLine(final Process stack, final Path log, final String line) throws Exception {
        final long deadline = System.nanoTime() + STACK_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            if (output.contains(line)) {
                return output;
            }
            if (!stack.isAlive()) {
                fail("./kd stack stopped (exit " + stack.exitValue() + ") before '" + line + "':\n" + output);
            }
            Thread.sleep(500);
        }
        return fail("no '" + line + "' from ./kd stack within " + STACK_TIMEOUT + ":\n" + Files.readString(log));
    }

    private static String find(final String output, final String regex) {
        final Matcher m = Pattern.compile(regex).matcher(output);
        assertThat(m.find()).as("'" + regex + "' in the stack's output:\n" + output).isTrue();
        return m.group(1);
    }

    private static WebDriver chromium() {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1800");
        // the Debian driver, named explicitly: Selenium Manager would otherwise try to download one
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Required in CI (.ci/run installs it); elsewhere the test is skipped with the command to run. */
    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        final String message = "headless Chromium is missing: apt-get install chromium chromium-driver (Debian's "
                + "packages) to run the dashboard's browser test";
        if (System.getenv("CI") != null) {
            fail(message);
        }
        Assumptions.abort(message);
    }
}
