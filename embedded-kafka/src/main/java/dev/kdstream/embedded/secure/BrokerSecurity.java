package dev.kdstream.embedded.secure;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * A secured broker's credentials and listener settings, kept in one directory: a local CA, the
 * broker's certificate, a SCRAM-SHA-512 password per user, a client config file per user and, for
 * mutual TLS, a client certificate. Made on first use and reused after; delete the directory to
 * start over.
 *
 * <p>Clients connect over SASL_SSL with SCRAM-SHA-512 and trust the CA's certificate (PEM, no
 * password). The broker's own connections (controller, replication) use TLS listeners that
 * require a certificate the CA signed; only the broker's own ({@link #BROKER_PRINCIPAL}) is a super
 * user there, so no listener accepts an unauthenticated client and a client certificate alone
 * grants nothing. {@link #ADMIN} and the broker are the only super users; every other user gets
 * only the ACLs someone grants it. The key stores' password is the broker's alone: no client file
 * holds it.
 */
public final class BrokerSecurity {

    /** The super user that creates topics, users and ACLs. */
    public static final String ADMIN = "kd-admin";
    /** Kafka's name for the principal of the broker's certificate. */
    static final String BROKER_PRINCIPAL = "User:CN=kd-broker";
    static final String MECHANISM = "SCRAM-SHA-512";

    private static final String STORE_PASSWORD = "store.password";
    private static final String CLIENT_STORE_PASSWORD = "client.store.password";
    private static final String PASSWORD_PREFIX = "password.";
    private static final String SHARED_VOLUME = "shared.volume";

    private final Path dir;
    private final boolean mutualTls;
    private final String storePassword;
    private final String clientStorePassword;
    private final Map<String, String> passwords;
    private final boolean sharedVolume;
    /** Where the certificates are, and who issues new ones. */
    private final LocalCa ca;

    private BrokerSecurity(final Path dir, final boolean mutualTls, final Properties stored,
                           final Map<String, String> passwords) {
        this.dir = dir.toAbsolutePath();
        this.mutualTls = mutualTls;
        this.storePassword = stored.getProperty(STORE_PASSWORD);
        this.clientStorePassword = stored.getProperty(CLIENT_STORE_PASSWORD);
        this.passwords = passwords;
        this.sharedVolume = Boolean.parseBoolean(stored.getProperty(SHARED_VOLUME));
        this.ca = new LocalCa(this.dir, storePassword);
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
     * @param sharedVolume readable by every user, for a Docker volume that the broker's container and
     *                     the administrator's share (they run as different users) and no service
     *                     mounts; a host directory stays the owner's only
     */
    public static BrokerSecurity prepare(final Path dir, final List<String> users, final boolean mutualTls,
                                         final List<String> hosts, final boolean sharedVolume) {
        try {
            Files.createDirectories(dir);
            restrict(dir, sharedVolume ? "rwxr-xr-x" : "rwx------");
            final Path file = dir.resolve("credentials.properties");
            final Properties stored = read(file);
            boolean changed = stored.putIfAbsent(STORE_PASSWORD, randomSecret()) == null;
            changed |= stored.putIfAbsent(CLIENT_STORE_PASSWORD, randomSecret()) == null;
            changed |= !String.valueOf(sharedVolume).equals(stored.put(SHARED_VOLUME, String.valueOf(sharedVolume)));
            for (final String user : withAdmin(users)) {
                changed |= stored.putIfAbsent(PASSWORD_PREFIX + user, randomSecret()) == null;
            }
            if (changed) {
                try (Writer w = Files.newBufferedWriter(file)) {
                    stored.store(w, "kd-stream: the broker's SCRAM passwords and key store passwords");
                }
            }
            restrict(file, sharedVolume ? "rw-r--r--" : "rw-------");
            final BrokerSecurity security = new BrokerSecurity(dir, mutualTls, stored, passwords(stored, users, file));
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
        final Properties stored = read(file);
        return new BrokerSecurity(dir, false, stored, passwords(stored, users, file));
    }

    private static List<String> withAdmin(final List<String> users) {
        final List<String> all = new ArrayList<>(List.of(ADMIN));
        users.stream().filter(u -> !u.equals(ADMIN)).forEach(all::add);
        return all;
    }

    private static Map<String, String> passwords(final Properties stored, final List<String> users, final Path file) {
        final Map<String, String> passwords = new LinkedHashMap<>();
        for (final String user : withAdmin(users)) {
            final String password = stored.getProperty(PASSWORD_PREFIX + user);
            if (password == null) {
                throw new IllegalArgumentException(file + " has no password for " + user
                        + ": run './kd secure init' on the directory again (it adds what is missing)");
            }
            passwords.put(user, password);
        }
        return passwords;
    }

    private static Properties read(final Path file) {
        final Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                stored.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return stored;
    }

    private void makeCertificates(final List<String> hosts) {
        if (!Files.exists(ca.caStore())) {
            ca.createAuthority();
        }
        // a name added later (--advertised-host, --host) gets a new certificate, not a failed hostname check
        if (!Files.exists(brokerStore()) || !names(brokerStore(), storePassword, "broker").containsAll(hosts)) {
            deleteIfExists(brokerStore());
            ca.issue("broker", "kd-broker", hosts, null, LocalCa.VALIDITY_DAYS);
        }
        if (mutualTls && !Files.exists(clientStore())) {
            ca.issue("client", "kd-client", List.of(), null, LocalCa.VALIDITY_DAYS, clientStorePassword);
        }
    }

    /** The host names and addresses a store's certificate names (its subject alternative names). */
    static Set<String> names(final Path store, final String password, final String alias) {
        try (InputStream in = Files.newInputStream(store)) {
            final KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password.toCharArray());
            final Collection<List<?>> alternatives = ((X509Certificate) keyStore.getCertificate(alias))
                    .getSubjectAlternativeNames();
            final Set<String> names = new HashSet<>();
            if (alternatives != null) {
                alternatives.forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
            return names;
        } catch (IOException | GeneralSecurityException e) {
            // unreadable: issued again
            return Set.of();
        }
    }

    /** A client certificate that expired yesterday, to show what a client with one meets. */
    public Path issueExpiredClientCertificate(final String name) {
        return ca.issue(name, "kd-expired", List.of(), "-3d", 2, clientStorePassword);
    }

    public Path directory() {
        return dir;
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

    Path caCertificate() {
        return ca.caCertificate();
    }

    /**
     * The broker's listeners: {@code EXTERNAL} (SASL_SSL, for clients) on {@code host:clientPort};
     * {@code INTERNAL} and {@code CONTROLLER} (TLS, a certificate the CA signed) on loopback.
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
        p.put("ssl.truststore.location", ca.truststore().toString());
        p.put("ssl.truststore.password", storePassword);
        // the broker's own listeners take only certificates the CA signed
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

    /**
     * Gives every user, {@link #ADMIN} included, its password (idempotent), as the broker itself on
     * its internal TLS listener: in KRaft, SCRAM credentials live in the metadata log, so a broker
     * with none cannot be reached with SCRAM to make one.
     */
    public void makeUsers(final String internalBootstrap) {
        final Admin admin = Admin.create(brokerClientProperties(internalBootstrap));
        try {
            upsertUsers(admin);
        } finally {
            // not close()'s wait for calls still pending on a broker that does not answer
            admin.close(Duration.ofSeconds(5));
        }
    }

    private void upsertUsers(final Admin admin) {
        final List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        passwords.forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        try {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the SCRAM users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM users " + users() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kafka client properties of the broker itself: TLS with the broker's certificate, for its
     * internal listener at {@code internalBootstrap}, where it is a super user. How users and ACLs
     * are first made.
     */
    public Properties brokerClientProperties(final String internalBootstrap) {
        final Properties p = new Properties();
        p.put("bootstrap.servers", internalBootstrap);
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", caCertificate().toString());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", brokerStore().toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.key.password", storePassword);
        return p;
    }

    /** Kafka client properties that authenticate as {@code user}. */
    public Properties clientProperties(final String user) {
        return clientProperties(user, dir);
    }

    /** @param caDir where the client finds the CA certificate */
    private Properties clientProperties(final String user, final Path caDir) {
        final String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no such user: " + user + " (known: " + users() + ")");
        }
        final Properties p = new Properties();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", caDir.resolve(caCertificate().getFileName()).toString());
        if (mutualTls) {
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", clientStore().toString());
            p.put("ssl.keystore.password", clientStorePassword);
            p.put("ssl.key.password", clientStorePassword);
        }
        return p;
    }

    /**
     * Writes {@code <user>.properties} into this directory: a kd-stream config file (for
     * {@code --config} or {@code KD_CONFIG}) that connects to {@code bootstrap} as {@code user}.
     */
    public Path writeClientConfig(final String user, final String bootstrap) {
        return writeClientConfig(user, bootstrap, dir, dir);
    }

    /**
     * Writes {@code <user>.properties} and the CA certificate into {@code outDir}, for a service that
     * sees that directory at {@code mountedAs} (a Docker volume of its own, which holds no other
     * user's password).
     */
    public Path writeClientConfig(final String user, final String bootstrap, final Path outDir, final Path mountedAs) {
        final Path file = outDir.resolve(user + ".properties");
        // written by hand, not with Properties.store, whose escapes (username\="...") read badly; no
        // value here holds a backslash or a line break, so each line reads back exactly
        final StringBuilder text = new StringBuilder("# kd-stream: connect to the secured broker as " + user
                + " (--config FILE or KD_CONFIG=FILE)\n");
        text.append("bootstrap.servers=").append(bootstrap).append('\n');
        new TreeMap<>(clientProperties(user, mountedAs)).forEach((k, v) ->
                text.append("kafka.").append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(outDir);
            if (!outDir.toAbsolutePath().equals(dir)) {
                Files.copy(caCertificate(), outDir.resolve(caCertificate().getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(file, text);
            restrict(file, sharedVolume || !outDir.toAbsolutePath().equals(dir) ? "rw-r--r--" : "rw-------");
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

    private static void deleteIfExists(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file, e);
        }
    }

    /** Sets a file's permissions where the file system has POSIX ones. */
    public static void restrict(final Path path, final String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): its ACLs are the user's to set
        }
    }
}
