package dev.kdstream.dashboard.series;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import dev.kdstream.dashboard.panel.Layout;
import dev.kdstream.dashboard.panel.Panel;
import dev.kdstream.dashboard.panel.Query;
import dev.kdstream.dashboard.panel.Tile;
import dev.kdstream.dashboard.scrape.Sample;

/**
 * The figures of a layout over time: each scrape becomes a {@link Tick}, its rates and means
 * taken against the scrape before. Keeps the newest {@code capacity} ticks; thread-safe (one
 * scraping thread adds, the page's requests read).
 */
public final class Recording {

    /** Tells one recording's ticks from another's: a page open across a restart starts over. */
    private final String id = UUID.randomUUID().toString();
    private final Layout layout;
    private final int capacity;
    private final ArrayDeque<Tick> ticks = new ArrayDeque<>();
    /** Per series key, its reading at the scrape before, and when that was taken. */
    private Map<String, Query.Reading> previous = Map.of();
    private long previousMillis;
    private long seq;

    public Recording(final Layout layout, final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.layout = layout;
        this.capacity = capacity;
    }

    public String id() {
        return id;
    }

    public Layout layout() {
        return layout;
    }

    /** Adds the tick of a scrape taken at {@code millis}, and returns it. */
    public synchronized Tick add(final long millis, final List<Sample> samples) {
        final Map<String, List<Sample>> byName = new HashMap<>();
        for (final Sample s : samples) {
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        final Map<String, Query.Reading> readings = new HashMap<>();
        final Map<String, Double> values = new HashMap<>();
        // tiles share queries (four read the holdout's record count): each distinct one is read once
        final Map<Query, Map<String, Query.Reading>> read = new HashMap<>();
        final double seconds = (millis - previousMillis) / 1000.0;
        for (final Tile tile : layout.tiles()) {
            evaluate(read, byName, tile.query(), tile::key, seconds, readings, values);
            for (final Query extra : new Query[] {tile.detail(), tile.lower(), tile.upper()}) {
                if (extra != null) {
                    evaluate(read, byName, extra, tile::extraKey, seconds, readings, values);
                }
            }
        }
        for (final Panel panel : layout.panels()) {
            for (final Query query : panel.queries()) {
                evaluate(read, byName, query, panel::key, seconds, readings, values);
            }
        }
        previous = readings;
        previousMillis = millis;
        final Tick tick = new Tick(++seq, millis, values);
        ticks.addLast(tick);
        if (ticks.size() > capacity) {
            ticks.removeFirst();
        }
        return tick;
    }

    /** The ticks kept with a sequence number above {@code afterSeq}, oldest first. */
    public synchronized List<Tick> after(final long afterSeq) {
        final List<Tick> newer = new ArrayList<>();
        for (final Tick t : ticks) {
            if (t.seq() > afterSeq) {
                newer.add(t);
            }
        }
        return newer;
    }

    /** {@code query}'s lines (read once per scrape, into {@code read}) into this tick's readings and values. */
    private void evaluate(final Map<Query, Map<String, Query.Reading>> read, final Map<String, List<Sample>> byName,
                          final Query query, final Function<String, String> keyOf, final double seconds,
                          final Map<String, Query.Reading> readings, final Map<String, Double> values) {
        for (final Map.Entry<String, Query.Reading> line : read.computeIfAbsent(query, q -> q.read(byName))
                .entrySet()) {
            final String key = keyOf.apply(line.getKey());
            readings.put(key, line.getValue());
            values.put(key, query.value(line.getValue(), previous.get(key), seconds));
        }
    }
}
