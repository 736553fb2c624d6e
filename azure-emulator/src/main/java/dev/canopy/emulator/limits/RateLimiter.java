package dev.canopy.emulator.limits;

import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Request;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ARM's and Cost Management's throttling: token buckets per subscription per principal per operation kind
 * (plus the subscription-wide bucket of 15 × that), and Cost Management's sliding windows per tenant and per
 * scope. Sets the {@code x-ms-ratelimit-*} headers and answers 429 + {@code Retry-After} like Azure.
 */
public final class RateLimiter {

    /** ARM operation kinds, each with its own bucket. */
    public enum Kind { READS, WRITES, DELETES }

    // Azure's subscription-wide ("global") bucket is 15 times the per-principal one (AZURE-CONTRACTS §3.1).
    private static final int GLOBAL_FACTOR = 15;

    private final Clock clock;
    private volatile LimitSettings settings;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, SlidingWindow> windows = new ConcurrentHashMap<>();

    public RateLimiter(LimitSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public LimitSettings settings() {
        return settings;
    }

    /** Switches to new settings and starts every bucket and window afresh. */
    public void configure(LimitSettings newSettings) {
        settings = newSettings;
        buckets.clear();
        windows.clear();
    }

    /**
     * Takes a token for an ARM call or throws 429.
     *
     * @param scope a subscription id, or the tenant id for tenant-level operations
     * @param tenantLevel whether the call is not in a subscription (headers say tenant instead of subscription)
     */
    public void armCall(Request request, String scope, boolean tenantLevel, String principal, Kind kind) {
        LimitSettings s = settings;
        String op = kind.name().toLowerCase(Locale.ROOT);
        TokenBucket mine = buckets.computeIfAbsent(scope.toLowerCase(Locale.ROOT) + "|" + principal + "|" + op,
                k -> newBucket(s, kind, 1));
        TokenBucket global = buckets.computeIfAbsent(scope.toLowerCase(Locale.ROOT) + "|*|" + op,
                k -> newBucket(s, kind, GLOBAL_FACTOR));
        String level = tenantLevel ? "tenant" : "subscription";
        if (!s.enabled()) {
            request.responseHeader("x-ms-ratelimit-remaining-" + level + "-" + op, String.valueOf(capacity(s, kind) - 1));
            return;
        }
        long left = mine.tryTake();
        if (left < 0) {
            long retry = mine.retryAfterSeconds();
            throw new ArmException(429, tenantLevel ? "TenantRequestsThrottled" : "SubscriptionRequestsThrottled",
                    "Number of '" + kind.name().toLowerCase(Locale.ROOT).replaceAll("s$", "") + "' requests for "
                            + level + " '" + scope + "' actor '" + principal + "' exceeded. Please try again after '"
                            + retry + "' seconds after additional tokens are available. Refer to "
                            + "https://aka.ms/arm-throttling for additional information.")
                    .header("Retry-After", String.valueOf(retry))
                    .header("x-ms-ratelimit-remaining-" + level + "-" + op, "0");
        }
        request.responseHeader("x-ms-ratelimit-remaining-" + level + "-" + op, String.valueOf(left));
        if (!tenantLevel) {
            // The subscription-wide bucket is a limit, not just a header: many principals together are throttled.
            long globalLeft = global.tryTake();
            if (globalLeft < 0) {
                long retry = global.retryAfterSeconds();
                throw new ArmException(429, "SubscriptionRequestsThrottled", "Number of '"
                        + kind.name().toLowerCase(Locale.ROOT).replaceAll("s$", "") + "' requests for subscription '"
                        + scope + "' exceeded. Please try again after '" + retry + "' seconds after additional tokens "
                        + "are available. Refer to https://aka.ms/arm-throttling for additional information.")
                        .header("Retry-After", String.valueOf(retry))
                        .header("x-ms-ratelimit-remaining-subscription-" + op, String.valueOf(left))
                        .header("x-ms-ratelimit-remaining-subscription-global-" + op, "0");
            }
            request.responseHeader("x-ms-ratelimit-remaining-subscription-global-" + op, String.valueOf(globalLeft));
        }
    }

    /**
     * Counts one Cost Management query (1 QPU) for the tenant and the scope, or throws 429 with Cost Management's
     * headers and body.
     */
    public void costQuery(Request request, String tenantId, String scope) {
        LimitSettings s = settings;
        String t = tenantId.toLowerCase(Locale.ROOT);
        SlidingWindow w10 = windows.computeIfAbsent(t + "|10s", k -> new SlidingWindow(s.costPer10Seconds(), 10_000, clock));
        SlidingWindow w60 = windows.computeIfAbsent(t + "|1m", k -> new SlidingWindow(s.costPerMinute(), 60_000, clock));
        SlidingWindow w3600 = windows.computeIfAbsent(t + "|1h", k -> new SlidingWindow(s.costPerHour(), 3_600_000, clock));
        SlidingWindow entity = windows.computeIfAbsent("scope|" + scope.toLowerCase(Locale.ROOT),
                k -> new SlidingWindow(s.costPerScopePerMinute(), 60_000, clock));
        if (s.enabled()) {
            long tenantRetry = Math.max(w10.retryAfterSeconds(), Math.max(w60.retryAfterSeconds(), w3600.retryAfterSeconds()));
            long entityRetry = entity.retryAfterSeconds();
            if (tenantRetry > 0 || entityRetry > 0) {
                long retry = Math.max(tenantRetry, entityRetry);
                ArmException e = new ArmException(429, "429", "Too many requests. Please retry.")
                        .header("Retry-After", String.valueOf(retry));
                if (tenantRetry > 0) {
                    e.header("x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after", String.valueOf(tenantRetry));
                }
                if (entityRetry > 0) {
                    e.header("x-ms-ratelimit-microsoft.costmanagement-entity-retry-after", String.valueOf(entityRetry));
                }
                throw e;
            }
            w10.record();
            w60.record();
            w3600.record();
            entity.record();
        }
        request.responseHeader("x-ms-ratelimit-microsoft.costmanagement-qpu-consumed", "1");
        request.responseHeader("x-ms-ratelimit-microsoft.costmanagement-qpu-remaining",
                "QueriesPerHour:" + w3600.remaining() + ",QueriesPerMin:" + w60.remaining()
                        + ",QueriesPer10Sec:" + w10.remaining());
        request.responseHeader("x-ms-ratelimit-remaining-microsoft.costmanagement-entity-requests",
                "DefaultQuota:" + entity.remaining());
    }

    private TokenBucket newBucket(LimitSettings s, Kind kind, int factor) {
        return switch (kind) {
            case READS -> new TokenBucket(s.readCapacity() * factor, s.readRefillPerSecond() * factor, clock);
            case WRITES -> new TokenBucket(s.writeCapacity() * factor, s.writeRefillPerSecond() * factor, clock);
            case DELETES -> new TokenBucket(s.deleteCapacity() * factor, s.deleteRefillPerSecond() * factor, clock);
        };
    }

    private static int capacity(LimitSettings s, Kind kind) {
        return switch (kind) {
            case READS -> s.readCapacity();
            case WRITES -> s.writeCapacity();
            case DELETES -> s.deleteCapacity();
        };
    }
}
