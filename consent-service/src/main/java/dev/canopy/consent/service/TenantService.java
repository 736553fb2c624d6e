package dev.canopy.consent.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.consent.repository.Subscription;
import dev.canopy.consent.repository.SubscriptionRepository;
import dev.canopy.consent.repository.Tenant;
import dev.canopy.consent.repository.TenantRepository;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.messaging.outbox.OutboxWriter;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;

import io.quarkus.logging.Log;

/** Shows tenants to the callers allowed to see them, and offboards them. */
@ApplicationScoped
public class TenantService {

    private final TenantRepository tenants;
    private final SubscriptionRepository subscriptions;
    private final OutboxWriter outbox;
    private final TenantAccess access;

    public TenantService(TenantRepository tenants, SubscriptionRepository subscriptions, OutboxWriter outbox,
            TenantAccess access) {
        this.tenants = tenants;
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.access = access;
    }

    /** The tenants the caller holds a role in (every tenant for ops). */
    @Transactional
    public List<TenantView> list() {
        List<Tenant> visible = access.readsAllTenants() ? tenants.listAllOrdered() : tenants.listByIds(access.tenants());
        return visible.stream().map(this::view).toList();
    }

    /** One tenant; 404 when it does not exist or the caller has no role in it. */
    @Transactional
    public TenantView get(String tenantId) {
        return view(readable(tenantId));
    }

    /**
     * Offboards the tenant: its subscriptions stop being collected and written, and TenantOffboarded goes out. A
     * second call changes nothing and sends nothing.
     */
    @Transactional
    public OffboardingView offboard(String tenantId) {
        String id = normalize(tenantId);
        access.require(id, PlatformRole.ADMIN, "tenant " + tenantId);
        Tenant tenant = tenants.findById(id);
        if (tenant == null) {
            throw ProblemException.notFound("tenant " + tenantId + " was not found");
        }
        List<Subscription> owned = subscriptions.listByTenant(id);
        List<String> withAccess = owned.stream()
                .filter(s -> Subscription.ACTIVE.equals(s.state) || Subscription.ACCESS_LOST.equals(s.state)
                        || Subscription.OFFBOARDED.equals(s.state))
                .map(s -> s.id).toList();
        if (!Tenant.OFFBOARDED.equals(tenant.state)) {
            Instant now = Instant.now();
            tenant.state = Tenant.OFFBOARDED;
            tenant.offboardedAt = now;
            for (Subscription subscription : owned) {
                if (!Subscription.SKIPPED.equals(subscription.state)) {
                    subscription.state = Subscription.OFFBOARDED;
                    subscription.updatedAt = now;
                }
            }
            outbox.append(new TenantOffboarded(UUID.randomUUID(), now, id, withAccess, access.callerId()));
            Log.infof("tenant %s offboarded (%d subscriptions)", id, withAccess.size());
        }
        return new OffboardingView(id, Tenant.OFFBOARDED, withAccess, "Canopy no longer collects or writes anything "
                + "in this tenant. The role assignments it was given (Tag Contributor and Cost Management Reader for "
                + "service principal " + tenant.servicePrincipalObjectId + " on each subscription) are the customer's "
                + "to remove in Azure; Canopy does not remove them.");
    }

    private Tenant readable(String tenantId) {
        String id = normalize(tenantId);
        access.requireRead(id, "tenant " + tenantId);
        Tenant tenant = tenants.findById(id);
        if (tenant == null) {
            throw ProblemException.notFound("tenant " + tenantId + " was not found");
        }
        return tenant;
    }

    private TenantView view(Tenant tenant) {
        List<TenantView.SubscriptionView> subs = subscriptions.listByTenant(tenant.id).stream()
                .map(s -> new TenantView.SubscriptionView(s.id, s.displayName, s.state, s.stateReason, s.policy,
                        s.costManagementReader))
                .toList();
        return new TenantView(tenant.id, tenant.state, tenant.servicePrincipalObjectId, tenant.onboardedAt,
                tenant.offboardedAt, subs);
    }

    static String normalize(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
    }
}
