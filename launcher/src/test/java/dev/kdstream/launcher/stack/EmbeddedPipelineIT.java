package dev.kdstream.launcher.stack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.kdstream.embedded.EmbeddedKafkaBroker;

/** The end-to-end contract on the embedded KRaft broker (runs everywhere). */
class EmbeddedPipelineIT extends PipelineScenario {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Override
    String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
