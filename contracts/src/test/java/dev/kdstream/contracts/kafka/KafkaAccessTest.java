package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLHandshakeException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    @Test
    void aWrongPasswordNamesTheSetting() {
        assertThat(KafkaAccess.explain(new ExecutionException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                        + "SCRAM-SHA-512"))))
                .hasValue("Kafka refused this client's credentials (Authentication failed during authentication "
                        + "due to invalid credentials with SASL mechanism SCRAM-SHA-512): check the user name and "
                        + "password in kafka.sasl.jaas.config (KD_KAFKA_SASL_JAAS_CONFIG) and the mechanism in "
                        + "kafka.sasl.mechanism (KD_KAFKA_SASL_MECHANISM)");
    }

    @Test
    void aTlsFailureSaysTheInnermostReasonAndTheStores() {
        final var failure = new KafkaException(new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path validation failed:\n  validity check failed")));
        assertThat(KafkaAccess.explain(failure)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("the TLS handshake with Kafka failed (PKIX path validation failed: validity check failed)")
                .contains("kafka.ssl.truststore.location (KD_KAFKA_SSL_TRUSTSTORE_LOCATION)")
                .contains("kafka.ssl.keystore.location")
                .doesNotContain("\n"));
    }

    @Test
    void aMissingAclNamesTheResource() {
        assertThat(KafkaAccess.explain(new TopicAuthorizationException(Set.of("predictions"))))
                .hasValueSatisfying(m -> assertThat(m).startsWith("this client's principal is not authorised on "
                        + "topics [predictions]"));
        assertThat(KafkaAccess.explain(new GroupAuthorizationException("Not authorized", "kd-server")))
                .hasValueSatisfying(m -> assertThat(m).startsWith("this client's principal is not authorised on "
                        + "consumer group kd-server"));
        assertThat(KafkaAccess.explain(new TransactionalIdAuthorizationException("no")))
                .hasValueSatisfying(m -> assertThat(m).contains("its transactional id"));
    }

    @Test
    void otherFailuresAreNotRefusals() {
        assertThat(KafkaAccess.refused(new ExecutionException(new TimeoutException("slow")))).isFalse();
        assertThat(KafkaAccess.explain(new IllegalStateException("bug"))).isEmpty();
    }
}
