package dev.kdstream.embedded.secure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of this machine only, for the embedded broker's TLS: a CA key pair, and
 * certificates it signs for the broker and for clients, in PKCS#12 stores.
 *
 * <p>Made with the JDK's own {@code keytool} rather than a crypto library: the JDK has no public
 * API that writes a certificate, and keytool is in every JDK and JRE. It runs a few times, once
 * per data directory.
 */
final class LocalCa {

    /** Long enough for a development cluster to outlive a year of restarts; renewed by deleting the directory. */
    static final int VALIDITY_DAYS = 825;

    private static final String PASSWORD_VARIABLE = "KD_KEYTOOL_STORE_PASSWORD";

    private final Path dir;
    private final String storePassword;

    /** Also the password of every store it writes. */
    LocalCa(final Path dir, final String storePassword) {
        // keytool runs in dir: a relative path would be resolved twice
        this.dir = dir.toAbsolutePath();
        this.storePassword = storePassword;
    }

    Path caStore() {
        return dir.resolve("ca.p12");
    }

    /** The CA certificate alone: what every client and the broker trust. */
    Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The CA's certificate, PEM: what a client trusts (Kafka reads it with ssl.truststore.type=PEM, no password). */
    Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** Creates the CA and the truststore that holds its certificate. */
    void createAuthority() {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=kd-stream local CA", "-ext", "bc:c", "-validity", Integer.toString(VALIDITY_DAYS),
                "-keystore", caStore().toString(), "-storetype", "PKCS12");
        final Path caPem = caCertificate();
        keytool("-exportcert", "-rfc", "-alias", "ca", "-file", caPem.toString(),
                "-keystore", caStore().toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(),
                "-keystore", truststore().toString(), "-storetype", "PKCS12");
    }

    /**
     * A key pair in {@code name}.p12 whose certificate (subject {@code CN=commonName}) the CA signs.
     *
     * @param hosts       subject alternative names (host names or IP addresses) a client checks, or none
     * @param startOffset keytool's {@code -startdate} (e.g. {@code -3d}), or null for now: an expired
     *                    certificate for tests
     * @param days        validity from the start
     */
    Path issue(final String name, final String commonName, final List<String> hosts, final String startOffset,
               final int days) {
        return issue(name, commonName, hosts, startOffset, days, storePassword);
    }

    /** @param password the issued store's password (the CA's own store keeps the CA's) */
    Path issue(final String name, final String commonName, final List<String> hosts, final String startOffset,
               final int days, final String password) {
        final Path store = dir.resolve(name + ".p12");
        final Path request = dir.resolve(name + ".csr");
        final Path signed = dir.resolve(name + ".crt");
        keytoolWith(password, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + commonName, "-validity", Integer.toString(days),
                "-keystore", store.toString(), "-storetype", "PKCS12");
        keytoolWith(password, "-certreq", "-alias", name, "-file", request.toString(), "-keystore", store.toString());
        final List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca",
                "-infile", request.toString(), "-outfile", signed.toString(),
                "-validity", Integer.toString(days), "-keystore", caStore().toString()));
        if (!hosts.isEmpty()) {
            sign.add("-ext");
            sign.add("SAN=" + String.join(",", hosts.stream().map(LocalCa::alternativeName).toList()));
        }
        if (startOffset != null) {
            sign.add("-startdate");
            sign.add(startOffset);
        }
        keytool(sign.toArray(String[]::new));
        // the chain first (keytool accepts a reply only when it can build the chain), then the reply
        keytoolWith(password, "-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate().toString(),
                "-keystore", store.toString());
        keytoolWith(password, "-importcert", "-noprompt", "-alias", name, "-file", signed.toString(),
                "-keystore", store.toString());
        deleteQuietly(request);
        deleteQuietly(signed);
        return store;
    }

    private static String alternativeName(final String host) {
        return host.matches("[0-9.]+") || host.contains(":") ? "ip:" + host : "dns:" + host;
    }

    private void keytool(final String... args) {
        keytoolWith(storePassword, args);
    }

    /** Runs keytool with the store password in its environment, where other users' {@code ps} does not show it. */
    private void keytoolWith(final String password, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        // PKCS#12 keeps one password for the store and its keys
        command.addAll(List.of("-storepass:env", PASSWORD_VARIABLE));
        try {
            final Path output = Files.createTempFile("kd-keytool", ".log");
            try {
                final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put(PASSWORD_VARIABLE, password);
                final Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s in " + dir);
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("keytool " + args[0] + " failed in " + dir + ": "
                            + Files.readString(output, StandardCharsets.UTF_8).strip());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool from " + System.getProperty("java.home")
                    + " (a JDK or JRE ships it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover request or reply holds no secret
        }
    }
}
