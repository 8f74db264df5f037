package dev.kdstream.client.produce.stream;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.kdstream.contracts.json.Json;
import dev.kdstream.contracts.records.FeatureRecord;

/**
 * One record to send to {@code features}, before it has an event time: the producer stamps
 * {@code ts} with the wall clock when it sends, so event time means "when it entered the stream".
 *
 * @param label        the class index, or null when the record is sent unlabelled
 * @param split        {@link FeatureRecord#TRAIN} or {@link FeatureRecord#HOLDOUT}
 * @param featuresJson {@code features} as a JSON array, when the stream already printed it for an
 *                     earlier pass over the same row (printing doubles is most of a record's
 *                     serialisation); null to print it here
 */
public record FeatureMessage(String id, double[] features, Integer label, String split, byte[] featuresJson) {

    private static final byte[] LABEL = bytes(",\"label\":");
    private static final byte[] SPLIT = bytes(",\"split\":\"");

    public FeatureMessage(final String id, final double[] features, final Integer label, final String split) {
        this(id, features, label, split, null);
    }

    /** {@code features} as the JSON array {@link #value} writes, to hand to later messages of the same row. */
    public static byte[] featuresJson(final double[] features) {
        try {
            return Json.MAPPER.writeValueAsBytes(features);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write features", e);
        }
    }

    /** The Kafka key: the id, UTF-8. */
    public byte[] key() {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    public FeatureRecord toRecord(final long ts) {
        return new FeatureRecord(id, ts, features, label, split);
    }

    /** The Kafka value: the feature record as JSON, with {@code "label":null} when unlabelled. */
    public byte[] value(final long ts) {
        if (featuresJson != null) {
            return withCachedFeatures(ts);
        }
        try {
            return Json.MAPPER.writeValueAsBytes(toRecord(ts));
        } catch (JsonProcessingException e) {
            // a record of strings, numbers and a double[] always serialises: this is a bug
            throw new UncheckedIOException("cannot write feature record " + id, e);
        }
    }

    /** The same bytes Jackson writes for {@link #toRecord}, with the features already printed. */
    private byte[] withCachedFeatures(final long ts) {
        final byte[] head = bytes("{\"id\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(id))
                + "\",\"ts\":" + ts + ",\"features\":");
        final byte[] labelText = bytes(label == null ? "null" : label.toString());
        final byte[] splitText = JsonStringEncoder.getInstance().quoteAsUTF8(split);
        final byte[] out = new byte[head.length + featuresJson.length + LABEL.length + labelText.length
                + SPLIT.length + splitText.length + 2];
        int at = 0;
        for (final byte[] part : new byte[][] {head, featuresJson, LABEL, labelText, SPLIT, splitText}) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        out[at++] = '"';
        out[at] = '}';
        return out;
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public boolean holdout() {
        return FeatureRecord.HOLDOUT.equals(split);
    }
}
