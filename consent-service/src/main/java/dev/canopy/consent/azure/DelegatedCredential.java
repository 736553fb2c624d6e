package dev.canopy.consent.azure;

import java.time.OffsetDateTime;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;

import reactor.core.publisher.Mono;

/**
 * Hands the consenting admin's delegated ARM token to the SDK. It lives only in this object, in memory, for one
 * onboarding run: never stored, never logged ({@link #toString()} says so), and gone when the run ends.
 */
public final class DelegatedCredential implements TokenCredential {

    private final String token;
    private final OffsetDateTime expiresAt;

    public DelegatedCredential(String token, OffsetDateTime expiresAt) {
        this.token = token;
        this.expiresAt = expiresAt;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.just(new AccessToken(token, expiresAt));
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        return new AccessToken(token, expiresAt);
    }

    @Override
    public String toString() {
        return "DelegatedCredential[redacted]";
    }
}
