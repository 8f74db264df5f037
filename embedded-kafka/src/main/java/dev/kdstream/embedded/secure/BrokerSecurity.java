package dev.kdstream.embedded.secure;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * The secured embedded broker's credentials and listener settings, kept in one directory: a local
 * CA, the broker's certificate, a client certificate (for mutual TLS), and a SCRAM-SHA-512 password
 * per user. Made on first use and reused after; delete the directory (with the broker's data, whose
 * SCRAM credentials it must match) to start over.
 *
 * <p>Clients connect over SASL_SSL with SCRAM-SHA-512. The broker's own connections (controller,
 * replication) use a loopback TLS listener that requires the broker's certificate, so no listener
 * accepts an unauthenticated client. {@link #ADMIN} and the broker are the only super users; every
 * other user gets only the ACLs someone grants it.
 */
public final class BrokerSecurity {

    /** The super user that creates topics, users and ACLs. */
    public static final String ADMIN = "kd-admin";
    /** Kafka's name for the principal of the broker's certificate. */
    static final String BROKER_PRINCIPAL = "User:CN=kd-broker";
    static final String MECHANISM = "SCRAM-SHA-512";

    private static final String STORE_PASSWORD = "store.password";
    private static final String PASSWORD_PREFIX = "password.";
    private static final String SHARED_VOLUME = "shared.volume";

    private final Path dir;
    private final boolean mutualTls;
    private final String storePassword;
    private final Map<String, String> passwords;
    private final boolean sharedVolume;

    private BrokerSecurity(final Path dir, final boolean mutualTls, final String storePassword,
                           final Map<String, String> passwords, final boolean sharedVolume) {
        this.dir = dir;
        this.sharedVolume = sharedVolume;
        this.mutualTls = mutualTls;
        this.storePassword = storePassword;
        this.passwords = passwords;
    }

    /**
     * Loads the credentials in {@code dir}, making what is missing.
     *
     * @param users     SCRAM users besides {@link #ADMIN}
     * @param mutualTls whether clients must also present a certificate the CA signed
     * @param hosts     the names clients reach the broker by (its certificate's subject alternative names)
     */
    public static BrokerSecurity prepare(final Path dir, final List<String> users, final boolean mutualTls,
                                         final List<String> hosts) {
        return prepare(dir, users, mutualTls, hosts, false);
    }

    /**
     * @param sharedVolume readable by every user, for a volume that containers running as different
     *                     users share (the broker's and the services'); a host directory stays the
     *                     owner's only
     */
    public static BrokerSecurity prepare(final Path dir, final List<String> users, final boolean mutualTls,
                                         final List<String> hosts, final boolean sharedVolume) {
        try {
            Files.createDirectories(dir);
            restrict(dir, sharedVolume ? "rwxr-xr-x" : "rwx------");
            final Path file = dir.resolve("credentials.properties");
            final Properties stored = new Properties();
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    stored.load(r);
                }
            }
            boolean changed = stored.putIfAbsent(STORE_PASSWORD, randomSecret()) == null;
            changed |= !String.valueOf(sharedVolume).equals(stored.put(SHARED_VOLUME, String.valueOf(sharedVolume)));
            final Map<String, String> passwords = new LinkedHashMap<>();
            final List<String> all = new ArrayList<>(List.of(ADMIN));
            users.stream().filter(u -> !u.equals(ADMIN)).forEach(all::add);
            for (final String user : all) {
                changed |= stored.putIfAbsent(PASSWORD_PREFIX + user, randomSecret()) == null;
                passwords.put(user, stored.getProperty(PASSWORD_PREFIX + user));
            }
            if (changed) {
                try (Writer w = Files.newBufferedWriter(file)) {
                    stored.store(w, "kd-stream: the embedded broker's SCRAM passwords and key store password");
                }
            }
            restrict(file, sharedVolume ? "rw-r--r--" : "rw-------");
            final BrokerSecurity security = new BrokerSecurity(dir, mutualTls, stored.getProperty(STORE_PASSWORD),
                    passwords, sharedVolume);
            security.makeCertificates(hosts);
            return security;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's credentials in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The credentials {@link #prepare} made in {@code dir}, as they are (a later step, such as
     * making the users on a running broker, must not change what the broker reads).
     */
    public static BrokerSecurity load(final Path dir, final List<String> users) {
        final Path file = dir.resolve("credentials.properties");
        if (!Files.exists(file) || !Files.exists(dir.resolve("broker.p12"))) {
            throw new IllegalArgumentException("no credentials in " + dir + ": make them first ('./kd secure init')");
        }
        final Properties stored = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            stored.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        final Map<String, String> passwords = new LinkedHashMap<>();
        final List<String> all = new ArrayList<>(List.of(ADMIN));
        users.stream().filter(u -> !u.equals(ADMIN)).forEach(all::add);
        for (final String user : all) {
            final String password = stored.getProperty(PASSWORD_PREFIX + user);
            if (password == null) {
                throw new IllegalArgumentException(file + " has no password for " + user
                        + ": run './kd secure init' on the directory again (it adds what is missing)");
            }
            passwords.put(user, password);
        }
        return new BrokerSecurity(dir, false, stored.getProperty(STORE_PASSWORD), passwords,
                Boolean.parseBoolean(stored.getProperty(SHARED_VOLUME)));
    }

    private void makeCertificates(final List<String> hosts) {
        final LocalCa ca = new LocalCa(dir, storePassword);
        if (!Files.exists(ca.caStore())) {
            ca.createAuthority();
        }
        if (!Files.exists(brokerStore())) {
            ca.issue("broker", "kd-broker", hosts, null, LocalCa.VALIDITY_DAYS);
        }
        if (!Files.exists(clientStore())) {
            ca.issue("client", "kd-client", List.of(), null, LocalCa.VALIDITY_DAYS);
        }
    }

    /** A client certificate that expired yesterday, to show what a client with one meets. */
    public Path issueExpiredClientCertificate(final String name) {
        return new LocalCa(dir, storePassword).issue(name, "kd-expired", List.of(), "-3d", 2);
    }

    public Path directory() {
        return dir;
    }

    public boolean mutualTls() {
        return mutualTls;
    }

    /** Every SCRAM user, {@link #ADMIN} first. */
    public List<String> users() {
        return List.copyOf(passwords.keySet());
    }

    Path brokerStore() {
        return dir.resolve("broker.p12");
    }

    Path clientStore() {
        return dir.resolve("client.p12");
    }

    /**
     * The broker's listeners: {@code EXTERNAL} (SASL_SSL, for clients) on {@code host:clientPort};
     * {@code INTERNAL} and {@code CONTROLLER} (TLS with the broker's certificate) on loopback.
     */
    public Properties brokerProperties(final String bindHost, final String advertisedHost, final int clientPort,
                                final int internalPort, final int controllerPort) {
        final Properties p = new Properties();
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "EXTERNAL://" + bindHost + ":" + clientPort + ",INTERNAL://localhost:" + internalPort
                + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "EXTERNAL://" + advertisedHost + ":" + clientPort
                + ",INTERNAL://localhost:" + internalPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("listener.security.protocol.map", "EXTERNAL:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL");
        // one key store and trust store for every listener, and for the broker's own client side
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", brokerStore().toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.key.password", storePassword);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", dir.resolve("truststore.p12").toString());
        p.put("ssl.truststore.password", storePassword);
        // the broker's own listeners take only the broker's certificate
        p.put("ssl.client.auth", "required");
        p.put("listener.name.external.ssl.client.auth", mutualTls ? "required" : "none");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("listener.name.external.sasl.enabled.mechanisms", MECHANISM);
        p.put("listener.name.external.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", BROKER_PRINCIPAL + ";User:" + ADMIN);
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    /** {@code kafka-storage format}'s arguments that give {@link #ADMIN} its password before the first start. */
    public List<String> formatArguments() {
        return List.of("--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + passwords.get(ADMIN) + "]");
    }

    /**
     * Gives every user its password (idempotent; {@link #ADMIN}'s was set when the storage was
     * formatted, and the others are set here, so users added later get theirs too).
     *
     * @param admin a client authenticated as {@link #ADMIN}
     */
    public void upsertUsers(final Admin admin) {
        upsertUsers(admin, false);
    }

    /**
     * @param admin        a client with the right to alter SCRAM credentials
     * @param includeAdmin also {@link #ADMIN}'s: a broker whose storage was formatted without it
     *                     (one that is not embedded, whose users the administrator makes later)
     */
    public void upsertUsers(final Admin admin, final boolean includeAdmin) {
        final List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> upserts = new ArrayList<>();
        passwords.forEach((user, password) -> {
            if (includeAdmin || !user.equals(ADMIN)) {
                upserts.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
            }
        });
        try {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the SCRAM users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM users " + upserts.size() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Kafka client properties of the broker itself: TLS with the broker's certificate, for its
     * loopback listener, where it is a super user. How users and ACLs are first made on a broker
     * that knows no SCRAM user yet.
     */
    public Properties brokerClientProperties() {
        final Properties p = new Properties();
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", dir.resolve("truststore.p12").toAbsolutePath().toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", brokerStore().toAbsolutePath().toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.key.password", storePassword);
        return p;
    }

    /** Kafka client properties that authenticate as {@code user}. */
    public Properties clientProperties(final String user) {
        final String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no such user: " + user + " (known: " + users() + ")");
        }
        final Properties p = new Properties();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", dir.resolve("truststore.p12").toAbsolutePath().toString());
        p.put("ssl.truststore.password", storePassword);
        if (mutualTls) {
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", clientStore().toAbsolutePath().toString());
            p.put("ssl.keystore.password", storePassword);
            p.put("ssl.key.password", storePassword);
        }
        return p;
    }

    /**
     * Writes {@code <user>.properties}: a kd-stream config file (for {@code --config} or
     * {@code KD_CONFIG}) that connects to {@code bootstrap} as {@code user}.
     */
    public Path writeClientConfig(final String user, final String bootstrap) {
        final Path file = dir.resolve(user + ".properties");
        // written by hand, not with Properties.store, whose escapes (username\="...") read badly; no
        // value here holds a backslash or a line break, so each line reads back exactly
        final StringBuilder text = new StringBuilder("# kd-stream: connect to the secured broker as " + user
                + " (--config FILE or KD_CONFIG=FILE)\n");
        text.append("bootstrap.servers=").append(bootstrap).append('\n');
        new TreeMap<>(clientProperties(user)).forEach((k, v) -> text.append("kafka.").append(k).append('=').append(v).append('\n'));
        try {
            Files.writeString(file, text);
            restrict(file, sharedVolume ? "rw-r--r--" : "rw-------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static String randomSecret() {
        final byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void restrict(final Path path, final String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): its ACLs are the user's to set
        }
    }
}
