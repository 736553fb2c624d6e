package dev.canopy.tagsync.view;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.canopy.tagsync.repository.DirectoryRepository;

/** Which tenant each subscription belongs to and which tenants are offboarded, as canopy.tenants says. */
@ApplicationScoped
public class TenantDirectory {

    private final DirectoryRepository directory;

    public TenantDirectory(DirectoryRepository directory) {
        this.directory = directory;
    }

    /**
     * @param subscriptionId a subscription id (any case)
     * @return the subscription with its tenant (for a subscription that moved, the tenant of the newest event naming
     *     it); empty if no tenant event named it
     */
    public Optional<KnownSubscription> subscription(String subscriptionId) {
        String id = subscriptionId.toLowerCase(Locale.ROOT);
        return directory.subscription(id).map(row -> new KnownSubscription(id, row.tenantId(), row.tenantOffboarded()));
    }

    /**
     * @param tenantId a tenant id (any case)
     * @return {@code true} if the tenant's newest event offboarded it; {@code false} for an active or unknown tenant
     */
    public boolean tenantOffboarded(String tenantId) {
        return directory.tenantOffboarded(tenantId.toLowerCase(Locale.ROOT));
    }
}
