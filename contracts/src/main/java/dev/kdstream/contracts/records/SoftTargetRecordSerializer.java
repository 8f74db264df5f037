package dev.kdstream.contracts.records;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import dev.kdstream.contracts.json.Json;

/**
 * Writes a {@link SoftTargetRecord} field by field: the same JSON as Jackson's bean serializer
 * (the record's components in order, nulls written), without its per-field machinery. The teacher
 * writes one per record, and the bean serializer's property writers and reflective accessor calls
 * cost more than the writing itself; printing the doubles stays Jackson's.
 */
public final class SoftTargetRecordSerializer extends StdSerializer<SoftTargetRecord> {

    public SoftTargetRecordSerializer() {
        super(SoftTargetRecord.class);
    }

    @Override
    public void serialize(final SoftTargetRecord r, final JsonGenerator g, final SerializerProvider provider)
            throws IOException {
        write(r, null, g);
    }

    /**
     * {@code r} as JSON bytes, taking its features from {@code featuresJson} when given: a JSON
     * array of the same numbers, written out as it is (the teacher passes on the producer's text,
     * see {@link ParsedFeature}).
     */
    public static byte[] toBytes(final SoftTargetRecord r, final String featuresJson) throws IOException {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder()) {
            try (JsonGenerator g = Json.MAPPER.createGenerator(bytes)) {
                write(r, featuresJson, g);
            }
            return bytes.toByteArray();
        }
    }

    private static void write(final SoftTargetRecord r, final String featuresJson, final JsonGenerator g)
            throws IOException {
        g.writeStartObject(r);
        g.writeStringField("id", r.id());
        g.writeNumberField("ts", r.ts());
        if (featuresJson == null) {
            array(g, "features", r.features());
        } else {
            g.writeFieldName("features");
            g.writeRawValue(featuresJson);
        }
        if (r.label() == null) {
            g.writeNullField("label");
        } else {
            g.writeNumberField("label", r.label().intValue());
        }
        g.writeStringField("split", r.split());
        array(g, "teacherLogits", r.teacherLogits());
        array(g, "softTargets", r.softTargets());
        g.writeNumberField("temperature", r.temperature());
        g.writeStringField("ensembleVersion", r.ensembleVersion());
        g.writeEndObject();
    }

    private static void array(final JsonGenerator g, final String name, final double[] values) throws IOException {
        g.writeFieldName(name);
        if (values == null) {
            g.writeNull();
        } else {
            g.writeArray(values, 0, values.length);
        }
    }
}
