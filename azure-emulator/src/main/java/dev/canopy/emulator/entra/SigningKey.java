package dev.canopy.emulator.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.server.Json;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.X509Util;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;

/**
 * An RS256 signing key with a self-signed certificate, published like Entra's: {@code kid} = {@code x5t} = the
 * certificate's SHA-1 thumbprint, with {@code x5c}.
 */
public final class SigningKey {

    private final RsaJsonWebKey jwk;

    /** A signing key from an RSA private key and its self-signed certificate (see {@code EmulatorIdentity}). */
    public SigningKey(PrivateKey privateKey, X509Certificate certificate) {
        jwk = new RsaJsonWebKey((RSAPublicKey) certificate.getPublicKey());
        jwk.setPrivateKey(privateKey);
        jwk.setCertificateChain(certificate);
        String thumbprint = X509Util.x5t(certificate);
        jwk.setKeyId(thumbprint);
        jwk.setX509CertificateSha1Thumbprint(thumbprint);
        jwk.setUse("sig");
    }

    public String keyId() {
        return jwk.getKeyId();
    }

    public PrivateKey privateKey() {
        return jwk.getPrivateKey();
    }

    public RSAPublicKey publicKey() {
        return jwk.getRsaPublicKey();
    }

    /**
     * @param issuer added as {@code issuer} (Entra's v2 key sets carry it), or null
     * @return the public JWK as JSON
     */
    public ObjectNode publicJwk(String issuer) {
        ObjectNode node = (ObjectNode) Json.parse(jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (issuer != null) {
            node.put("issuer", issuer);
        }
        return node;
    }

    /** @return {@code {"keys":[this key]}} */
    public JsonNode jwks(String issuer) {
        ObjectNode set = Json.object();
        set.putArray("keys").add(publicJwk(issuer));
        return set;
    }
}
