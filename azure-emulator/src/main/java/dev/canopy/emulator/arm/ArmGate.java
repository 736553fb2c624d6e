package dev.canopy.emulator.arm;

import dev.canopy.emulator.entra.Caller;
import dev.canopy.emulator.entra.TokenService;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.emulator.world.World;

import java.util.Locale;
import java.util.Set;

/**
 * What every ARM call passes, in ARM's order: the token (401), the subscription and its tenant (404 / 401
 * InvalidAuthenticationTokenTenant), the throttle (429), the caller's roles (403 AuthorizationFailed).
 */
public final class ArmGate {

    private static final Set<String> READ_ONLY_STATES = Set.of("disabled", "deleted", "expired");

    private final World world;
    private final TokenService tokens;
    private final Rbac rbac;
    private final RateLimiter limiter;

    public ArmGate(World world, TokenService tokens, Rbac rbac, RateLimiter limiter) {
        this.world = world;
        this.tokens = tokens;
        this.rbac = rbac;
        this.limiter = limiter;
    }

    public Rbac rbac() {
        return rbac;
    }

    public World world() {
        return world;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /** Checks the token and records the caller in the request log. */
    public Caller authenticate(Request request) {
        Caller caller = tokens.verifyArm(request.header("Authorization"));
        request.principal(caller.objectId());
        if (world.tenant(caller.tenantId()).isEmpty()) {
            throw TokenService.unauthorized("InvalidAuthenticationTokenTenant",
                    "The access token is from a tenant '" + caller.tenantId() + "' that this cloud does not know.");
        }
        return caller;
    }

    /**
     * Authenticates a call inside a subscription, checks the subscription belongs to the token's tenant and takes a
     * throttling token.
     */
    public Subscription enter(Request request, String subscriptionId, RateLimiter.Kind kind, Caller caller) {
        Subscription subscription = world.subscription(subscriptionId).orElseThrow(() -> ArmException.notFound(
                "SubscriptionNotFound", "The subscription '" + subscriptionId + "' could not be found."));
        if (!subscription.tenantId().equalsIgnoreCase(caller.tenantId())) {
            throw TokenService.unauthorized("InvalidAuthenticationTokenTenant", "The access token is from the wrong issuer '"
                    + TokenService.v1Issuer(caller.tenantId()) + "'. It must match the tenant '"
                    + TokenService.v1Issuer(subscription.tenantId()) + "' associated with this subscription. Please use "
                    + "the authority (URL) 'https://login.windows.net/" + subscription.tenantId()
                    + "' to get the token. Note, if the subscription is transferred to another tenant there is no impact "
                    + "to the services, but information about new tenant could take time to propagate (up to an hour). "
                    + "If you just transferred your subscription and see this error message, please try back later.");
        }
        limiter.armCall(request, subscription.subscriptionId(), false, caller.objectId(), kind);
        if (kind != RateLimiter.Kind.READS && READ_ONLY_STATES.contains(subscription.state().toLowerCase(Locale.ROOT))) {
            throw new ArmException(409, "ReadOnlyDisabledSubscription", "The subscription '" + subscriptionId
                    + "' is disabled and therefore marked as read only. You cannot perform any write actions on this "
                    + "subscription until it is re-enabled.");
        }
        return subscription;
    }

    /** Authenticates and takes a tenant-level throttling token (calls outside any subscription). */
    public Caller enterTenant(Request request, RateLimiter.Kind kind) {
        Caller caller = authenticate(request);
        limiter.armCall(request, caller.tenantId(), true, caller.objectId(), kind);
        return caller;
    }

    /** @throws ArmException 403 AuthorizationFailed unless the caller may perform {@code action} at {@code scope} */
    public void require(Caller caller, String scope, String action) {
        if (!rbac.allowed(caller, scope, action)) {
            throw forbidden(caller, scope, action);
        }
    }

    public static ArmException forbidden(Caller caller, String scope, String action) {
        return new ArmException(403, "AuthorizationFailed", "The client '" + (caller.upn() != null ? caller.upn()
                : caller.objectId()) + "' with object id '" + caller.objectId() + "' does not have authorization to "
                + "perform action '" + action + "' over scope '" + scope + "' or the scope is invalid. If access was "
                + "recently granted, please refresh your credentials.");
    }
}
