package dev.kdstream.contracts.kafka;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

import dev.kdstream.contracts.config.KdConfig;

/**
 * A broker that refused who a client is (authentication) or what it asked for (authorisation),
 * said in one line that names the setting or the ACL to fix. Neither heals by retrying, so a
 * service that meets one stops and says this, instead of a stack trace per retry.
 */
public final class KafkaAccess {

    private KafkaAccess() {
    }

    /**
     * The one line for a broker that did not answer: where it was looked for, for how long, and what
     * names the address ({@code hint}, e.g. {@code --bootstrap-servers}).
     */
    public static String unreachable(final Object bootstrapServers, final long seconds, final String doing,
                                     final String hint) {
        return "cannot reach Kafka at " + bootstrapServers + " within " + seconds + " s" + doing
                + " (is the broker running? see " + hint + ")";
    }

    /** Whether {@code failure} or one of its causes is a refused authentication or authorisation. */
    public static boolean refused(final Throwable failure) {
        return refusal(failure).isPresent();
    }

    /** The one-line reason, if {@code failure} or a cause of it is a refusal. */
    public static Optional<String> explain(final Throwable failure) {
        return refusal(failure).map(KafkaAccess::describe);
    }

    private static Optional<Throwable> refusal(final Throwable failure) {
        final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    static String describe(final Throwable refusal) {
        final String detail = innermostMessage(refusal);
        if (refusal instanceof SaslAuthenticationException) {
            return "Kafka refused this client's credentials (" + detail + "): check the user name and password in "
                    + setting("sasl.jaas.config") + " and the mechanism in " + setting("sasl.mechanism");
        }
        if (refusal instanceof SslAuthenticationException) {
            return "the TLS handshake with Kafka failed (" + detail + "): check " + setting("ssl.truststore.location")
                    + " (it must hold the CA that signed the broker's certificate) and, where the broker requires "
                    + "client certificates, " + setting("ssl.keystore.location") + "; and that no certificate "
                    + "has expired";
        }
        if (refusal instanceof AuthenticationException) {
            return "Kafka refused to authenticate this client (" + detail + "): check "
                    + setting("security.protocol") + " and " + setting("sasl.jaas.config");
        }
        final String what = refusal instanceof TopicAuthorizationException t ? "topics " + t.unauthorizedTopics()
                : refusal instanceof GroupAuthorizationException g ? "consumer group " + g.groupId()
                : refusal instanceof TransactionalIdAuthorizationException ? "its transactional id"
                : refusal instanceof ClusterAuthorizationException ? "the cluster"
                : "a resource";
        return "this client's principal is not authorised on " + what + " (" + detail + "): grant it the ACLs its "
                + "service needs (the README's Security section lists them)";
    }

    /** A pass-through client setting as a user writes it: in a config file, and as an environment variable. */
    /** How a user sets a client property: {@code kafka.security.protocol (KD_KAFKA_SECURITY_PROTOCOL)}. */
    static String setting(final String clientProperty) {
        return KdConfig.KAFKA_PREFIX + clientProperty + " (" + KdConfig.KAFKA_ENV_PREFIX
                + clientProperty.toUpperCase(Locale.ROOT).replace('.', '_') + ")";
    }

    private static String innermostMessage(final Throwable refusal) {
        String message = refusal.getMessage();
        final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = refusal.getCause(); t != null && seen.add(t); t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? refusal.getClass().getSimpleName() : message.strip().replaceAll("\\s+", " ");
    }
}
