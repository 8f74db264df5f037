package dev.kdstream.dashboard.panel;

/**
 * A number at the top of the page: the newest value of one query.
 *
 * @param detail  a second query shown under the number (e.g. the records it rests on), or null
 * @param lower   the lower end of the number's interval, or null (then {@code upper} is null too)
 * @param upper   the upper end of the number's interval, or null
 * @param named   the tile shows its line's name instead of a number (an "info" gauge, whose value
 *                is always 1 and whose label is the news, e.g. the ensemble's version)
 */
public record Tile(String id, String title, Unit unit, Query query, Query detail, Query lower, Query upper,
                   boolean named) {

    public static Tile of(final String id, final String title, final Unit unit, final Query query,
                          final Query detail) {
        return new Tile(id, title, unit, query, detail, null, null, false);
    }

    public static Tile named(final String id, final String title, final Query query) {
        return new Tile(id, title, Unit.NUMBER, query, null, null, null, true);
    }

    /** This tile with an interval around its number. */
    public Tile withInterval(final Query lowerEnd, final Query upperEnd) {
        return new Tile(id, title, unit, query, detail, lowerEnd, upperEnd, named);
    }

    /** The series key of the tile's line with this legend. */
    public String key(final String legend) {
        return "tile/" + id + "/" + legend;
    }

    /** The series key of one of the tile's extra lines (detail, interval ends) with this legend. */
    public String extraKey(final String legend) {
        return "tile-extra/" + id + "/" + legend;
    }
}
