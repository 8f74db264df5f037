package dev.kdstream.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ListenerProbeTest {

    /** A TLS alert record (what a TLS listener answers bytes it cannot parse), or a Kafka-looking answer. */
    private static final byte[] TLS_ALERT = {21, 3, 3, 0, 2, 2, 40};
    private static final byte[] KAFKA_ANSWER = {0, 0, 0, 6, 0, 0, 0, 1, 0, 0};

    @Test
    void aPlaintextClientToATlsListenerIsToldWhichSettingToChange() throws Exception {
        try (ServerSocket server = answering(TLS_ALERT)) {
            assertThat(ListenerProbe.describeMismatch(client(server, null))).hasValueSatisfying(m -> assertThat(m)
                    .startsWith("the broker at 127.0.0.1:" + server.getLocalPort() + " speaks TLS but this client is "
                            + "set for PLAINTEXT: set kafka.security.protocol (KD_KAFKA_SECURITY_PROTOCOL) to SASL_SSL"));
        }
    }

    @Test
    void aPlaintextListenerOrATlsClientPasses() throws Exception {
        try (ServerSocket server = answering(KAFKA_ANSWER)) {
            assertThat(ListenerProbe.describeMismatch(client(server, null))).isEmpty();
        }
        try (ServerSocket server = answering(TLS_ALERT)) {
            // a TLS client is not probed at all
            assertThat(ListenerProbe.describeMismatch(client(server, "SASL_SSL"))).isEmpty();
        }
    }

    @Test
    void anUnreachableBrokerIsLeftToTheClientsOwnError() throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        final Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + port);
        assertThat(ListenerProbe.describeMismatch(p)).isEmpty();
    }

    private static Properties client(final ServerSocket server, final String protocol) {
        final Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + server.getLocalPort());
        if (protocol != null) {
            p.put("security.protocol", protocol);
        }
        return p;
    }

    /** A listener that answers one connection with {@code answer} and closes it. */
    private static ServerSocket answering(final byte[] answer) throws IOException {
        final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final Thread t = new Thread(() -> {
            try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                // a broker reads the size, then exactly that many bytes; a wrong size is an invalid request
                final DataInputStream in = new DataInputStream(s.getInputStream());
                final byte[] request = new byte[in.readInt()];
                in.readFully(request);
                if (in.available() > 0 || request.length != ListenerProbe.API_VERSIONS.length - 4) {
                    return;
                }
                out.write(answer);
            } catch (IOException e) {
                // the server was closed
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }
}
