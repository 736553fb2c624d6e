package dev.canopy.tagsync.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.SubscriptionsAdded;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.tagsync.repository.DirectoryRepository;

/** Keeps {@link TenantDirectory} in step with canopy.tenants (fed by the {@code tenants-in} channel). */
@ApplicationScoped
public class TenantDirectoryUpdater implements ViewUpdater {

    private static final Logger LOG = Logger.getLogger(TenantDirectoryUpdater.class);

    private final DirectoryRepository directory;

    public TenantDirectoryUpdater(DirectoryRepository directory) {
        this.directory = directory;
    }

    @Override
    public CanopyTopic topic() {
        return CanopyTopic.TENANTS;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CanopyEvent event) {
        if (event instanceof TenantOnboarded onboarded) {
            directory.setTenant(onboarded.tenantId(), false, onboarded.occurredAt());
            onboarded.subscriptions().forEach(s ->
                    directory.assign(s.subscriptionId(), onboarded.tenantId(), onboarded.occurredAt()));
            LOG.infof("tenant %s onboarded with %d subscriptions", onboarded.tenantId(),
                    onboarded.subscriptions().size());
        } else if (event instanceof SubscriptionsAdded added) {
            directory.ensureTenant(added.tenantId(), added.occurredAt());
            added.subscriptions().forEach(s ->
                    directory.assign(s.subscriptionId(), added.tenantId(), added.occurredAt()));
            LOG.infof("tenant %s added %d subscriptions", added.tenantId(), added.subscriptions().size());
        } else if (event instanceof TenantOffboarded offboarded) {
            directory.setTenant(offboarded.tenantId(), true, offboarded.occurredAt());
            offboarded.subscriptionIds().forEach(id -> directory.claimUnknown(id, offboarded.tenantId()));
            LOG.infof("tenant %s offboarded", offboarded.tenantId());
        } else {
            throw new IllegalArgumentException("unexpected event type " + event.type().typeName());
        }
    }
}
