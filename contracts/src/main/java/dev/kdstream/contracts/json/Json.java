package dev.kdstream.contracts.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration of the project (records, manifests, Kafka values). */
public final class Json {

    /**
     * Thread-safe once configured, so shared. Every record on the stream is mostly doubles, and
     * parsing and printing them is a large share of the pipeline's CPU: Jackson's fast double
     * parser and writer (exact round trips, like the JDK's) make it smaller.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .build();

    private Json() {
    }
}
