package dev.kdstream.contracts.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class StreamsRunnerTest {

    @Test
    void theSweptTopicsAreTheTopologysSinks() {
        final StreamsBuilder builder = new StreamsBuilder();
        final var in = builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()));
        in.to("out", Produced.with(Serdes.String(), Serdes.String()));
        in.filter((k, v) -> v.isEmpty()).to("dead-letters", Produced.with(Serdes.String(), Serdes.String()));
        assertThat(StreamsRunner.sinkTopics(builder.build())).containsExactlyInAnyOrder("out", "dead-letters");
    }
}
