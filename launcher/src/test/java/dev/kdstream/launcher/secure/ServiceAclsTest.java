package dev.kdstream.launcher.secure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import dev.kdstream.contracts.kafka.TopicNames;

class ServiceAclsTest {

    private static final TopicNames TOPICS = TopicNames.defaults();

    @Test
    void theReadmeTableIsTheGrants() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(Files.readString(dir.resolve("README.md"))).contains(ServiceAcls.markdownTable(TOPICS));
    }

    @Test
    void noServiceMayCreateOrChangeAnyoneElsesTopics() {
        // a service creates only its own internal topics (named after its application id), never the pipeline's
        for (final var grant : ServiceAcls.grants(TOPICS)) {
            if (grant.type() == ResourceType.TOPIC && TOPICS.all().contains(grant.name())) {
                assertThat(grant.operations()).as(grant.toString())
                        .doesNotContain(AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER,
                                AclOperation.ALTER_CONFIGS, AclOperation.ALL);
            }
        }
    }

    @Test
    void noPrefixGrantReachesAPipelineTopic() {
        // a Streams app's prefix (its internal topics) must not cover a topic of the pipeline
        for (final var grant : ServiceAcls.grants(TOPICS)) {
            if (grant.type() == ResourceType.TOPIC && grant.pattern() == PatternType.PREFIXED) {
                assertThat(TOPICS.all()).as(grant.toString()).noneMatch(t -> t.startsWith(grant.name()));
            }
        }
    }

    @Test
    void eachTopicHasOneWriterKindAndTheExpectedReaders() {
        assertThat(principalsWith(TOPICS.features(), AclOperation.WRITE)).containsExactly(ServiceAcls.PRODUCER);
        assertThat(principalsWith(TOPICS.softTargets(), AclOperation.WRITE)).containsExactly(ServiceAcls.TEACHER);
        assertThat(principalsWith(TOPICS.checkpoints(), AclOperation.WRITE)).containsExactly(ServiceAcls.TRAINER);
        assertThat(principalsWith(TOPICS.predictions(), AclOperation.WRITE)).containsExactly(ServiceAcls.SERVER);
        assertThat(principalsWith(TOPICS.predictions(), AclOperation.READ)).containsExactly(ServiceAcls.READER);
        assertThat(principalsWith(TOPICS.features(), AclOperation.READ))
                .containsExactlyInAnyOrder(ServiceAcls.TEACHER, ServiceAcls.SERVER);
    }

    private static Set<String> principalsWith(final String topic, final AclOperation operation) {
        return ServiceAcls.grants(TOPICS).stream()
                .filter(g -> g.type() == ResourceType.TOPIC && g.name().equals(topic) && g.operations().contains(operation))
                .map(ServiceAcls.Grant::user).collect(Collectors.toSet());
    }
}
