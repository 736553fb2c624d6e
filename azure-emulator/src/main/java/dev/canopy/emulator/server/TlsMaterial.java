package dev.canopy.emulator.server;


import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The emulator's TLS identity: a self-signed certificate for {@code 127.0.0.1} and {@code localhost} (made at build
 * time, see {@link EmulatorIdentity}), the server's {@link SSLContext}, and the trust material clients need (a PKCS12
 * trust store file, an SSLContext).
 */
public final class TlsMaterial {

    /** Password of the exported trust store (it holds only a public certificate). */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    /** The TLS identity from a key and its self-signed certificate (see {@link EmulatorIdentity}). */
    public TlsMaterial(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the server side: key manager over the generated key and certificate */
    public SSLContext serverContext() {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            char[] password = TRUST_STORE_PASSWORD.toCharArray();
            keyStore.setKeyEntry("emulator", privateKey, password, new X509Certificate[]{certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a trust store holding only the emulator's certificate */
    public KeyStore trustStore() {
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("canopy-azure-emulator", certificate);
            return trustStore;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a client SSLContext that trusts the emulator (and nothing else) */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
