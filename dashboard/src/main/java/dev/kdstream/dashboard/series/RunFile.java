package dev.kdstream.dashboard.series;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.kdstream.contracts.json.Json;

/**
 * A run's recorded figures: one JSON object per tick and line ({@code {"seq":1,"t":...,"v":{key:
 * value or null}}}), appended as the run goes, so a run that crashes keeps what it had. What
 * {@code ./kd report} reads.
 */
public final class RunFile implements AutoCloseable {

    private final BufferedWriter out;

    private RunFile(final BufferedWriter out) {
        this.out = out;
    }

    /** A new recording at {@code file} (replacing one there), its folder created. */
    public static RunFile create(final Path file) {
        try {
            final Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return new RunFile(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's recording " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void append(final Tick tick) {
        try {
            out.write(Json.MAPPER.writeValueAsString(toJson(tick)));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tick as JSON: NaN (undefined) as null, which JSON has and NaN it has not. */
    public static Map<String, Object> toJson(final Tick tick) {
        final Map<String, Object> values = new TreeMap<>();
        tick.values().forEach((k, v) -> values.put(k, Double.isFinite(v) ? v : null));
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("seq", tick.seq());
        json.put("t", tick.millis());
        json.put("v", values);
        return json;
    }

    /**
     * The ticks of a recording; a last line cut short (the run was killed while writing it) is
     * dropped, any other unreadable line is an error that names it.
     */
    public static List<Tick> read(final Path file) throws IOException {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        final List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                ticks.add(tick(Json.MAPPER.readTree(line)));
            } catch (IOException | IllegalArgumentException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new IOException(file + " line " + (i + 1) + " is not a tick of a kd-stream recording: "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
            }
        }
        return ticks;
    }

    private static Tick tick(final JsonNode node) {
        if (!node.path("seq").canConvertToLong() || !node.path("t").canConvertToLong() || !node.path("v").isObject()) {
            throw new IllegalArgumentException("needs seq, t and v");
        }
        final Map<String, Double> values = new LinkedHashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = node.get("v").fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull() && !e.getValue().isNumber()) {
                throw new IllegalArgumentException(e.getKey() + " is neither a number nor null");
            }
            values.put(e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
        }
        return new Tick(node.get("seq").asLong(), node.get("t").asLong(), values);
    }
}
