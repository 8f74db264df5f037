package dev.kdstream.launcher.secure;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.kdstream.contracts.kafka.TopicNames;
import dev.kdstream.student.checkpoint.CheckpointWriter;
import dev.kdstream.student.serving.ServingTopology;
import dev.kdstream.teacher.streams.TeacherTopology;

/**
 * Who may do what on a secured cluster: each service its own principal with only the operations
 * it needs. The README's table is {@link #markdownTable} of these grants.
 *
 * <p>A Kafka Streams service reads its input, writes its output, and owns its group, its internal
 * topics and its transactional ids (all named after its application id). Topics are created by
 * an administrator, never by a service.
 */
public final class ServiceAcls {

    public static final String PRODUCER = "kd-producer";
    public static final String TEACHER = "kd-teacher";
    public static final String TRAINER = "kd-trainer";
    public static final String SERVER = "kd-server";
    public static final String READER = "kd-reader";

    /** Every service principal, in the pipeline's order. */
    public static final List<String> PRINCIPALS = List.of(PRODUCER, TEACHER, TRAINER, SERVER, READER);

    /** One row of the table: a principal's operations on one resource (a name, or every name with a prefix). */
    public record Grant(String user, ResourceType type, String name, PatternType pattern,
                        List<AclOperation> operations) {

        List<AclBinding> bindings() {
            return operations.stream().map(op -> new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW))).toList();
        }
    }

    private ServiceAcls() {
    }

    /** The grants for the topics {@code topics} and the services' default application ids. */
    public static List<Grant> grants(final TopicNames topics) {
        final List<Grant> g = new ArrayList<>();
        g.add(topic(PRODUCER, topics.features(), WRITE, DESCRIBE));
        g.add(topic(PRODUCER, topics.labels(), WRITE, DESCRIBE));

        g.add(topic(TEACHER, topics.features(), READ, DESCRIBE));
        g.add(topic(TEACHER, topics.softTargets(), WRITE, DESCRIBE));
        g.add(topic(TEACHER, topics.featuresDlq(), WRITE, DESCRIBE));
        // late labels, passed on to the trainer's input
        g.add(topic(TEACHER, topics.labels(), READ, DESCRIBE));
        g.add(topic(TEACHER, topics.labelsDlq(), WRITE, DESCRIBE));
        // the served student, for a teacher budget's sampler; the budget in force
        g.add(topic(TEACHER, topics.checkpoints(), READ, DESCRIBE));
        g.add(topic(TEACHER, topics.control(), READ, DESCRIBE));
        // the drifts the trainers report, to spend more teacher after each
        g.add(topic(TEACHER, topics.driftEvents(), READ, DESCRIBE));
        g.addAll(streamsApplication(TEACHER, TeacherTopology.APPLICATION_ID));

        g.add(topic(TRAINER, topics.softTargets(), READ, DESCRIBE));
        g.add(topic(TRAINER, topics.checkpoints(), READ, WRITE, DESCRIBE));
        // its live settings (T, alpha, learning rate, weight decay)
        g.add(topic(TRAINER, topics.control(), READ, DESCRIBE));
        g.add(topic(TRAINER, topics.driftEvents(), WRITE, DESCRIBE));
        // the late labels it cannot join
        g.add(topic(TRAINER, topics.labelsDlq(), WRITE, DESCRIBE));
        g.add(new Grant(TRAINER, TRANSACTIONAL_ID, CheckpointWriter.TRANSACTIONAL_ID_PREFIX, PREFIXED,
                List.of(WRITE, DESCRIBE)));

        g.add(topic(SERVER, topics.features(), READ, DESCRIBE));
        g.add(topic(SERVER, topics.checkpoints(), READ, DESCRIBE));
        g.add(topic(SERVER, topics.predictions(), WRITE, DESCRIBE));
        g.add(topic(SERVER, topics.shadowPredictions(), WRITE, DESCRIBE));
        // which student is served
        g.add(topic(SERVER, topics.control(), READ, DESCRIBE));
        // late labels, to score what it served
        g.add(topic(SERVER, topics.labels(), READ, DESCRIBE));
        g.addAll(streamsApplication(SERVER, ServingTopology.APPLICATION_ID));

        g.add(topic(READER, topics.predictions(), READ, DESCRIBE));
        g.add(topic(READER, topics.shadowPredictions(), READ, DESCRIBE));
        g.add(topic(READER, topics.driftEvents(), READ, DESCRIBE));
        return g;
    }

    /** Every grant as the ACL bindings Kafka's Admin API creates. */
    public static List<AclBinding> bindings(final TopicNames topics) {
        return grants(topics).stream().flatMap(grant -> grant.bindings().stream()).toList();
    }

    /** What a Kafka Streams application's own resources need, all named after its application id. */
    private static List<Grant> streamsApplication(final String user, final String applicationId) {
        return List.of(
                new Grant(user, GROUP, applicationId, LITERAL, List.of(READ, DESCRIBE)),
                // its changelog and repartition topics, which it creates and, on a reset, deletes
                new Grant(user, TOPIC, applicationId + "-", PREFIXED,
                        List.of(CREATE, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS, DELETE)),
                // exactly-once: <application id>-<process id>-<thread>
                new Grant(user, TRANSACTIONAL_ID, applicationId + "-", PREFIXED, List.of(WRITE, DESCRIBE)));
    }

    private static Grant topic(final String user, final String topic, final AclOperation... operations) {
        return new Grant(user, TOPIC, topic, LITERAL, List.of(operations));
    }

    /** The grants as a Markdown table: principal, resource, operations. */
    public static String markdownTable(final TopicNames topics) {
        final StringBuilder table = new StringBuilder("| Principal | Resource | Operations |\n|---|---|---|\n");
        for (final Grant g : grants(topics)) {
            table.append("| `User:").append(g.user()).append("` | ")
                    .append(g.type().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" `")
                    .append(g.name()).append(g.pattern() == PREFIXED ? "*" : "").append("` | ")
                    .append(g.operations().stream().map(op -> op.name().charAt(0)
                            + op.name().substring(1).toLowerCase(Locale.ROOT).replace("_c", "C"))
                            .collect(Collectors.joining(", ")))
                    .append(" |\n");
        }
        return table.toString();
    }
}
