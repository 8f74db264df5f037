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

    private final Path dir;
    private final String storePassword;

    LocalCa(final Path dir, final String storePassword) {
        this.dir = dir;
        this.storePassword = storePassword;
    }

    Path caStore() {
        return dir.resolve("ca.p12");
    }

    /** The CA certificate alone: what every client and the broker trust. */
    Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** Creates the CA and the truststore that holds its certificate. */
    void createAuthority() {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=kd-stream local CA", "-ext", "bc:c", "-validity", Integer.toString(VALIDITY_DAYS),
                "-keystore", caStore().toString(), "-storetype", "PKCS12");
        final Path caPem = dir.resolve("ca.pem");
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
        final Path store = dir.resolve(name + ".p12");
        final Path request = dir.resolve(name + ".csr");
        final Path signed = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + commonName, "-validity", Integer.toString(days),
                "-keystore", store.toString(), "-storetype", "PKCS12");
        keytool("-certreq", "-alias", name, "-file", request.toString(), "-keystore", store.toString());
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
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.pem").toString(),
                "-keystore", store.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", signed.toString(), "-keystore", store.toString());
        deleteQuietly(request);
        deleteQuietly(signed);
        return store;
    }

    private static String alternativeName(final String host) {
        return host.matches("[0-9.]+") || host.contains(":") ? "ip:" + host : "dns:" + host;
    }

    private void keytool(final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        // PKCS#12 keeps one password for the store and its keys
        command.addAll(List.of("-storepass", storePassword));
        try {
            final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed in " + dir + ": " + output.strip());
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
