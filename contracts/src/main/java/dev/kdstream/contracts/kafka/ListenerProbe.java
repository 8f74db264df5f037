package dev.kdstream.contracts.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.utils.Utils;

import dev.kdstream.contracts.config.EnvironmentException;

/**
 * Asks, before a plaintext client starts, whether the broker's listener speaks TLS. A Kafka client
 * set for plaintext reads a TLS server's answer as the size of a response and allocates it (about
 * 350 MB: KAFKA-4090), which on a small heap is an {@link OutOfMemoryError} with a stack trace, and
 * on a large one a timeout that blames the network. Asked first, it is one line naming the setting.
 */
public final class ListenerProbe {

    /**
     * An ApiVersions request (key 18, version 0, correlation id 1, client id "kd"), a few bytes any
     * listener answers: its size (12), then the header.
     */
    static final byte[] API_VERSIONS = {0, 0, 0, 12, 0, 18, 0, 0, 0, 0, 0, 1, 0, 2, 'k', 'd'};
    private static final int TIMEOUT_MS = 2_000;

    private ListenerProbe() {
    }

    /** Protocols and bootstrap servers that matched, so that one process asks each listener once. */
    private static final Set<String> MATCHED = ConcurrentHashMap.newKeySet();

    /** Throws when the client is set for plaintext and its first bootstrap server answers in TLS. */
    public static void requireMatchingProtocol(final Properties client) {
        final String key = protocol(client) + " " + client.getProperty("bootstrap.servers", "");
        if (MATCHED.contains(key)) {
            return;
        }
        describeMismatch(client).ifPresent(message -> {
            throw new EnvironmentException(message, null);
        });
        MATCHED.add(key);
    }

    /** The client's {@code security.protocol}, upper case; PLAINTEXT when unset. */
    public static String protocol(final Properties client) {
        return client.getProperty("security.protocol", "PLAINTEXT").trim().toUpperCase(Locale.ROOT);
    }

    static Optional<String> describeMismatch(final Properties client) {
        final String protocol = protocol(client);
        final String bootstrap = client.getProperty("bootstrap.servers", "").split(",")[0].trim();
        final String host = Utils.getHost(bootstrap);
        final Integer port = Utils.getPort(bootstrap);
        if (protocol.endsWith("SSL") || host == null || host.isEmpty() || port == null) {
            return Optional.empty();
        }
        return speaksTls(host, port) ? Optional.of("the broker at " + bootstrap + " speaks TLS but this client is set "
                + "for " + protocol + ": set " + KafkaAccess.setting("security.protocol") + " to SASL_SSL or SSL, "
                + "with its credentials (a secured broker's client config file has them)") : Optional.empty();
    }

    /** Whether the listener answers a plaintext request with a TLS record (an alert or a handshake). */
    static boolean speaksTls(final String host, final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.getOutputStream().write(API_VERSIONS);
            final InputStream in = socket.getInputStream();
            final int type = in.read();
            final int major = in.read();
            // a TLS record: content type 21 (alert) or 22 (handshake), then protocol version 3.x
            return (type == 21 || type == 22) && major == 3;
        } catch (IOException e) {
            // unreachable, or closed without a word: the client's own error says so
            return false;
        }
    }
}
