package dev.canopy.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The local stack's TLS. The services serve HTTPS with one self-signed key pair (SAN {@code ip:127.0.0.1},
 * {@code dns:localhost}) made once per state folder with the JDK's keytool; the emulator brings its own. Clients trust
 * both: {@link #clientContext()} in Java, {@code ca.pem} for curl.
 */
public final class LocalTls {

    static final String PASSWORD = "changeit";
    private static final String KEY_STORE = "services-tls.p12";
    private static final String CA_PEM = "ca.pem";

    private final Path dir;
    private final Path emulatorTrustStore;

    private LocalTls(Path dir, Path emulatorTrustStore) {
        this.dir = dir;
        this.emulatorTrustStore = emulatorTrustStore;
    }

    /**
     * Makes the services' key store in {@code dir} unless it is there.
     *
     * @param emulatorTrustStore where the emulator writes its PKCS12 trust store (it may not exist yet)
     */
    static LocalTls prepare(Path dir, Path emulatorTrustStore) {
        LocalTls tls = new LocalTls(dir, emulatorTrustStore);
        if (!Files.isRegularFile(tls.keyStore())) {
            tls.generateKeyStore();
        }
        return tls;
    }

    /** Opens the TLS material of a stack started earlier (for {@code token} and other clients of a kept stack). */
    public static LocalTls existing(Path dir, Path emulatorTrustStore) {
        return new LocalTls(dir, emulatorTrustStore);
    }

    /** The services' PKCS12 key store (password {@value #PASSWORD}). */
    Path keyStore() {
        return dir.resolve(KEY_STORE);
    }

    Path emulatorTrustStore() {
        return emulatorTrustStore;
    }

    /** PEM of both certificates, for {@code curl --cacert}; written by {@link #clientContext()}. */
    public Path caPem() {
        return dir.resolve(CA_PEM);
    }

    /** A client context that trusts the services and the emulator; also writes {@link #caPem()}. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<Certificate> certificates = new ArrayList<>();
            certificates.addAll(certificatesIn(keyStore()));
            certificates.addAll(certificatesIn(emulatorTrustStore));
            for (int i = 0; i < certificates.size(); i++) {
                trust.setCertificateEntry("local-" + i, certificates.get(i));
            }
            writePem(certificates);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the local stack's client trust from " + keyStore() + " and "
                    + emulatorTrustStore, e);
        }
    }

    private static List<Certificate> certificatesIn(Path store) throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        List<Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            certificates.add(keyStore.getCertificate(alias));
        }
        return certificates;
    }

    private void writePem(List<Certificate> certificates) throws GeneralSecurityException, IOException {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        StringBuilder pem = new StringBuilder();
        for (Certificate certificate : certificates) {
            pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        Files.writeString(caPem(), pem, StandardCharsets.US_ASCII);
    }

    // keytool rather than code: the JDK has no public API that makes a certificate, and the emulator's build does the
    // same (azure-emulator/pom.xml).
    private void generateKeyStore() {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "canopy-local",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=canopy-local", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth",
                "-validity", "3650", "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD,
                "-keystore", keyStore().toString());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir, e);
        }
        Commands.run(command, Duration.ofSeconds(60));
    }
}
