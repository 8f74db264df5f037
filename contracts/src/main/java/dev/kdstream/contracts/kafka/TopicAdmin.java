package dev.kdstream.contracts.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.kdstream.contracts.config.ConfigKey;
import dev.kdstream.contracts.config.EnvironmentException;
import dev.kdstream.contracts.config.KdConfig;

/** Creates the project's topics when they are missing (the checkpoints topic compacted). */
public final class TopicAdmin {

    /**
     * Largest dead letter: a maximal input record (the broker's default limit, 1 MiB) plus its
     * headers. The dead-letter topic is created with this limit and the writers allow it.
     */
    public static final int DLQ_MAX_BYTES = 2 * 1024 * 1024;

    /** How long the control topic keeps every change before compaction may drop the superseded ones. */
    public static final Duration CONTROL_HISTORY = Duration.ofDays(30);

    /** Largest checkpoint (both students, Adam state, offsets): the checkpoint topic's limit, and its clients'. */
    public static final int CHECKPOINT_MAX_BYTES = 8 * 1024 * 1024;

    private TopicAdmin() {
    }

    /** The topics of {@code config}, with its partitions and replication factor; all of them needed. */
    public static List<String> ensureTopics(final KdConfig config) {
        return ensureTopics(config, config.topics().all());
    }

    /**
     * Creates the topics of {@code config} that are missing, where this client may.
     *
     * @param needed the topics the caller uses: on a secured cluster a service may create no topic
     *               (an administrator did), and one it needs that it cannot see is an error
     */
    public static List<String> ensureTopics(final KdConfig config, final Collection<String> needed) {
        return ensure(config, needed, null).created();
    }

    /**
     * What an ensure did.
     *
     * @param created the names created (existing topics are left as they are)
     * @param topicId the id of the topic asked for, or null when none was
     */
    public record Ensured(List<String> created, Uuid topicId) {
    }

    /**
     * {@link #ensureTopics(KdConfig, Collection)}, and the id of {@code idOf} (see {@link #topicId}),
     * with the same Admin client.
     */
    public static Ensured ensureTopics(final KdConfig config, final Collection<String> needed, final String idOf) {
        return ensure(config, needed, idOf);
    }

    private static Ensured ensure(final KdConfig config, final Collection<String> needed, final String idOf) {
        return ensure(config.kafkaProperties(), config.topics(), config.getInt(ConfigKey.TOPIC_PARTITIONS),
                (short) config.getInt(ConfigKey.TOPIC_REPLICATION_FACTOR), needed, idOf);
    }

    /** All of {@code names} needed. */
    public static List<String> ensureTopics(final Properties clientProperties, final TopicNames names,
                                            final int partitions, final short replication) {
        return ensureTopics(clientProperties, names, partitions, replication, names.all());
    }

    /**
     * @param needed what the caller uses (see {@link #ensureTopics(KdConfig, Collection)})
     * @return the names created (existing topics are left as they are)
     */
    public static List<String> ensureTopics(final Properties clientProperties, final TopicNames names,
                                            final int partitions, final short replication,
                                            final Collection<String> needed) {
        return ensure(clientProperties, names, partitions, replication, needed, null).created();
    }

    private static Ensured ensure(final Properties clientProperties, final TopicNames names, final int partitions,
                                  final short replication, final Collection<String> needed, final String idOf) {
        // refused here, before any broker call, rather than as Kafka's InvalidPartitionsException
        if (partitions < 1 || replication < 1) {
            throw new IllegalArgumentException("topics need at least 1 partition and a replication factor of at "
                    + "least 1, got " + partitions + " and " + replication + " (" + ConfigKey.TOPIC_PARTITIONS.key()
                    + " / " + ConfigKey.TOPIC_PARTITIONS.env() + ", " + ConfigKey.TOPIC_REPLICATION_FACTOR.key()
                    + " / " + ConfigKey.TOPIC_REPLICATION_FACTOR.env() + ", or a command's --partitions)");
        }
        ListenerProbe.requireMatchingProtocol(clientProperties);
        final Admin admin = Admin.create(clientProperties);
        try {
            final Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<NewTopic> wanted = new ArrayList<>();
            for (final String t : List.of(names.features(), names.softTargets(), names.predictions(),
                    names.shadowPredictions(), names.driftEvents(), names.labels())) {
                if (!existing.contains(t)) {
                    wanted.add(new NewTopic(t, partitions, replication));
                }
            }
            for (final String dlq : List.of(names.featuresDlq(), names.labelsDlq())) {
                if (!existing.contains(dlq)) {
                    wanted.add(new NewTopic(dlq, partitions, replication).configs(Map.of(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(DLQ_MAX_BYTES))));
                }
            }
            if (!existing.contains(names.checkpoints())) {
                // compacted: only the newest checkpoint per trainer matters
                wanted.add(new NewTopic(names.checkpoints(), 1, replication).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(CHECKPOINT_MAX_BYTES))));
            }
            if (!existing.contains(names.control())) {
                // compacted: the newest settings are kept for good; each record stays for 30 days
                // first, so that the topic is also the changes' history (./kd control history)
                wanted.add(new NewTopic(names.control(), 1, replication).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(CONTROL_HISTORY.toMillis()))));
            }
            final List<String> created = new ArrayList<>();
            for (final NewTopic t : wanted) {
                try {
                    admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                    created.add(t.name());
                } catch (ExecutionException e) {
                    if (KafkaAccess.refused(e)) {
                        // a secured cluster: an administrator creates topics. The topic may exist
                        // unseen (no Describe on it), which is only wrong if the caller needs it.
                        if (needed.contains(t.name())) {
                            throw new EnvironmentException("topic " + t.name() + " is missing (or this principal "
                                    + "may not describe it) and this principal may not create it: create the "
                                    + "topics as an administrator ('./kd broker --secure' and './kd secure setup' do) "
                                    + "and grant the service its ACLs (the README's Security section)", e.getCause());
                        }
                    } else if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new EnvironmentException("cannot create topic " + t.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            return new Ensured(created, idOf == null ? null : descriptions(admin, List.of(idOf)).get(idOf).topicId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            final Optional<String> refusal = KafkaAccess.explain(e);
            if (refusal.isPresent()) {
                throw new EnvironmentException(refusal.get(), e);
            }
            throw new EnvironmentException(KafkaAccess.unreachable(clientProperties.get("bootstrap.servers"), 30,
                    " to create topics", ConfigKey.BOOTSTRAP_SERVERS.key() + " / " + ConfigKey.BOOTSTRAP_SERVERS.env())
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } finally {
            // not close()'s default wait: a call still pending on an unreachable broker would hold it a minute more
            admin.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The id of {@code topic}, which a topic deleted and re-created under the same name does not
     * keep (KIP-516).
     */
    public static Uuid topicId(final Properties clientProperties, final String topic) {
        return describe(clientProperties, List.of(topic)).get(topic).topicId();
    }

    /** How many partitions each of {@code topics} has, asked in one request. */
    public static Map<String, Integer> partitions(final Properties clientProperties, final List<String> topics) {
        final Map<String, Integer> partitions = new LinkedHashMap<>();
        describe(clientProperties, topics).forEach((topic, d) -> partitions.put(topic, d.partitions().size()));
        return partitions;
    }

    private static Map<String, TopicDescription> describe(final Properties clientProperties,
                                                          final List<String> topics) {
        final Admin admin = Admin.create(clientProperties);
        final String named = "topic" + (topics.size() == 1 ? " " : "s ") + String.join(", ", topics);
        try {
            return descriptions(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + named, e);
        } catch (ExecutionException | TimeoutException e) {
            final Optional<String> refusal = KafkaAccess.explain(e);
            if (refusal.isPresent()) {
                throw new EnvironmentException(refusal.get(), e);
            }
            throw new EnvironmentException("cannot describe " + named + " at "
                    + clientProperties.get("bootstrap.servers") + " within 30 s" + (e.getMessage() == null ? ""
                    : ": " + e.getMessage()), e);
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    private static Map<String, TopicDescription> descriptions(final Admin admin, final List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    }
}
