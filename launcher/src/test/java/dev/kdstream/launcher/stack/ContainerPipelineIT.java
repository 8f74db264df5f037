package dev.kdstream.launcher.stack;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end contract against Apache's official Kafka image, where Docker is available;
 * skipped cleanly where it is not (these machines have only the docker client).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineIT extends PipelineScenario {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
