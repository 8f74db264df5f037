package dev.kdstream.dashboard.series;

import java.util.Map;

/**
 * The page's figures at one scrape.
 *
 * @param seq    1, 2, ...: what a page asks "what is new after"
 * @param millis wall-clock time of the scrape
 * @param values series key to value; NaN where the figure is undefined at this scrape
 */
public record Tick(long seq, long millis, Map<String, Double> values) {

    public Tick {
        values = Map.copyOf(values);
    }
}
