package dev.canopy.emulator.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import dev.canopy.emulator.entra.SigningKey;

/**
 * The emulator's keys and certificates: the TLS key (EC P-256, SAN ip:127.0.0.1 and dns:localhost) and the RS256
 * signing keys of its Entra ID and of Canopy's platform issuer.
 *
 * <p>They are made by {@code keytool} when the module is built (see its pom) and read from the jar at start:
 * generating them at start cost most of a second. The private keys are a test fixture of a test-only emulator,
 * never a secret of anything real; a fresh build makes new ones.
 */
public final class EmulatorIdentity {

    static final String RESOURCE = "/dev/canopy/emulator/identity.p12";
    static final String TRUST_STORE_RESOURCE = "/dev/canopy/emulator/truststore.p12";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final KeyStore keyStore;

    private EmulatorIdentity(KeyStore keyStore) {
        this.keyStore = keyStore;
    }

    /** Reads the identity made at build time. */
    public static EmulatorIdentity load() {
        try (InputStream in = EmulatorIdentity.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: build the azure-emulator module with Maven, "
                        + "which makes it with keytool");
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD);
            return new EmulatorIdentity(keyStore);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the emulator identity " + RESOURCE, e);
        }
    }

    /** Writes the clients' trust store (PKCS12, password {@code changeit}, the TLS certificate only) to a file. */
    public Path writeTrustStore(Path file) {
        try (InputStream in = EmulatorIdentity.class.getResourceAsStream(TRUST_STORE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TRUST_STORE_RESOURCE + " is missing: build the azure-emulator module");
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the trust store " + file, e);
        }
    }

    /** The TLS key and certificate. */
    public TlsMaterial tls() {
        return new TlsMaterial(privateKey("tls"), certificate("tls"));
    }

    /** The key Entra ID signs ARM and ID tokens with. */
    public SigningKey entraKey() {
        return new SigningKey(privateKey("entra"), certificate("entra"));
    }

    /** The key the platform issuer signs Canopy users' tokens with. */
    public SigningKey platformKey() {
        return new SigningKey(privateKey("platform"), certificate("platform"));
    }

    private PrivateKey privateKey(String alias) {
        try {
            return (PrivateKey) keyStore.getKey(alias, PASSWORD);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no key '" + alias + "' in " + RESOURCE, e);
        }
    }

    private X509Certificate certificate(String alias) {
        try {
            return (X509Certificate) keyStore.getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no certificate '" + alias + "' in " + RESOURCE, e);
        }
    }
}
