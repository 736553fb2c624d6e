package dev.canopy.azure.throttling;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import com.azure.core.http.HttpHeaders;

/**
 * Cost Management's query quotas in one tenant as Canopy keeps count of them (AZURE-CONTRACTS §3.4): the tenant's
 * windows — 12 queries per 10 s, 60 per minute, 600 per hour — and each scope's, 4 per minute. A query goes at the
 * earliest moment every window it counts in has room, so a run of queries uses each window whole instead of being
 * spaced evenly; Azure's {@code …-qpu-remaining} and {@code …-entity-requests} counts after every answer keep the
 * windows in step with what others in the tenant spent, and a 429 holds the tenant (or only the scope, when Azure
 * says so) until its retry-after.
 */
public final class CostManagementQuota {

    /** The tenant's windows left, by name: {@code QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9}. */
    public static final String QPU_REMAINING = "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining";
    /** The scope's window left: {@code DefaultQuota:3}. */
    public static final String SCOPE_REMAINING = "x-ms-ratelimit-remaining-microsoft.costmanagement-entity-requests";
    /** Seconds until the tenant's windows have room again, on a 429. */
    public static final String QPU_RETRY_AFTER = "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after";
    /** Seconds until the scope's window has room again, on a 429. */
    public static final String SCOPE_RETRY_AFTER = "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after";
    /** Retry-after of a tenant-wide bucket Azure does not document. */
    public static final String TENANT_RETRY_AFTER = "x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after";
    /** Retry-after of the client-type bucket (the {@code ClientType} request header's). */
    public static final String CLIENT_TYPE_RETRY_AFTER = "x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after";
    /** The older Consumption API's retry-after. */
    public static final String CONSUMPTION_RETRY_AFTER = "x-ms-ratelimit-microsoft.consumption-retry-after";

    private static final List<String> TENANT_WIDE_RETRY_AFTER = List.of(QPU_RETRY_AFTER, TENANT_RETRY_AFTER,
            CLIENT_TYPE_RETRY_AFTER, CONSUMPTION_RETRY_AFTER);

    /**
     * The quotas, in queries (one query of up to a month is one QPU).
     *
     * @param per10Seconds per tenant in any 10 seconds
     * @param perMinute per tenant in any minute
     * @param perHour per tenant in any hour
     * @param perScopePerMinute per scope (a subscription) in any minute
     */
    public record Limits(int per10Seconds, int perMinute, int perHour, int perScopePerMinute) {

        /** Azure's. */
        public static Limits azure() {
            return new Limits(12, 60, 600, 4);
        }
    }

    /** One scope's window and its hold after a 429; guarded by the quota's lock. */
    private static final class Scope {
        final QuotaWindow window;
        long notBefore;

        Scope(QuotaWindow window, long now) {
            this.window = window;
            this.notBefore = now;
        }
    }

    private final Limits limits;
    private final LongSupplier nanoTime;
    private final List<QuotaWindow> tenant;
    private final Map<String, Scope> scopes = new HashMap<>();
    private long tenantNotBefore;

    /** The quotas of one tenant. */
    public CostManagementQuota(Limits limits) {
        this(limits, System::nanoTime);
    }

    CostManagementQuota(Limits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.tenant = List.of(new QuotaWindow("QueriesPer10Sec", limits.per10Seconds(), Duration.ofSeconds(10).toNanos()),
                new QuotaWindow("QueriesPerMin", limits.perMinute(), Duration.ofMinutes(1).toNanos()),
                new QuotaWindow("QueriesPerHour", limits.perHour(), Duration.ofHours(1).toNanos()));
        this.tenantNotBefore = nanoTime.getAsLong();
    }

    /**
     * @param scope the queried scope, e.g. a subscription id (any casing)
     * @return the throttle of queries at that scope: the tenant's windows and the scope's together
     */
    public Throttle scope(String scope) {
        String key = scope.toLowerCase(Locale.ROOT);
        return () -> reserve(key);
    }

    private synchronized Throttle.Ticket reserve(String key) {
        long now = nanoTime.getAsLong();
        Scope scope = scopes.computeIfAbsent(key, k -> new Scope(new QuotaWindow("DefaultQuota",
                limits.perScopePerMinute(), Duration.ofMinutes(1).toNanos()), now));
        long at = Math.max(now, Math.max(tenantNotBefore, scope.notBefore));
        for (QuotaWindow window : tenant) {
            at = window.earliest(at);
        }
        at = scope.window.earliest(at);
        for (QuotaWindow window : tenant) {
            window.add(at, now);
        }
        scope.window.add(at, now);
        return new Ticket(scope, at, Duration.ofNanos(at - now));
    }

    /** One query's place in the tenant's and its scope's windows. */
    private final class Ticket implements Throttle.Ticket {
        private final Scope scope;
        private final long plannedAt;
        private final Duration delay;

        Ticket(Scope scope, long plannedAt, Duration delay) {
            this.scope = scope;
            this.plannedAt = plannedAt;
            this.delay = delay;
        }

        @Override
        public Duration delay() {
            return delay;
        }

        @Override
        public void answered(HttpHeaders headers) {
            synchronized (CostManagementQuota.this) {
                long now = settle();
                Map<String, Long> tenantLeft = ThrottlingPolicy.remainingParts(headers, QPU_REMAINING);
                for (QuotaWindow window : tenant) {
                    Long left = tenantLeft.get(window.name());
                    if (left != null) {
                        window.reconcile(left, now);
                    }
                }
                ThrottlingPolicy.remaining(headers, SCOPE_REMAINING).ifPresent(left -> scope.window.reconcile(left, now));
            }
        }

        @Override
        public void throttled(HttpHeaders headers, Duration retryAfter) {
            synchronized (CostManagementQuota.this) {
                tenant.forEach(window -> window.remove(plannedAt));
                scope.window.remove(plannedAt);
                long until = nanoTime.getAsLong() + retryAfter.toNanos();
                boolean scopeOnly = headers.getValue(SCOPE_RETRY_AFTER) != null
                        && TENANT_WIDE_RETRY_AFTER.stream().allMatch(name -> headers.getValue(name) == null);
                if (scopeOnly) {
                    scope.notBefore = Math.max(scope.notBefore, until);
                } else {
                    tenantNotBefore = Math.max(tenantNotBefore, until);
                }
            }
        }

        @Override
        public void abandoned() {
            // Azure may have counted it: keep it, as if answered now without a count.
            synchronized (CostManagementQuota.this) {
                settle();
            }
        }

        /** Moves the query from its planned time to now in every window it counts in; returns now. */
        private long settle() {
            long now = nanoTime.getAsLong();
            tenant.forEach(window -> window.answered(plannedAt, now));
            scope.window.answered(plannedAt, now);
            return now;
        }
    }
}
