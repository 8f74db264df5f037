package dev.kdstream.launcher.stack;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kdstream.embedded.EmbeddedKafkaBroker;
import dev.kdstream.embedded.EmbeddedKafkaExtension;

/** The end-to-end contract on the embedded KRaft broker (runs everywhere). */
@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedPipelineIT extends PipelineScenario {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void useSharedBroker(final EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    @Override
    String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
