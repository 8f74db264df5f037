package dev.kdstream.launcher.stack;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same end-to-end contract against a broker in a container: Apache's official image of the
 * clients' Kafka version, or the image named by {@code KAFKA_IMAGE}, as in docker-compose.yml (CI
 * gives the stand-in docker/local-images.sh builds where Docker Hub is out of reach). Skipped
 * cleanly where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineIT extends PipelineScenario {

    static final String OFFICIAL_IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(image());

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }

    private static DockerImageName image() {
        final String configured = System.getenv("KAFKA_IMAGE");
        return configured == null || configured.isBlank() ? DockerImageName.parse(OFFICIAL_IMAGE)
                : DockerImageName.parse(configured).asCompatibleSubstituteFor("apache/kafka");
    }
}
