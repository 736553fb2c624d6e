package dev.canopy.collector.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.SubscriptionsAdded;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.messaging.inbox.ProcessedEventRepository;
import dev.canopy.messaging.retry.TransientFailure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * Keeps the subscription registry in step with the tenant and policy topics, once per event id, and sends at once the
 * tombstones a narrower policy or an offboarding owes.
 */
@ApplicationScoped
// An offboarding or a narrower policy must not be lost to a database or broker outage, so an event is applied again
// and again, each attempt in a transaction of its own, until it succeeds: maxRetries -1 is "no limit", and
// maxDuration 0 turns off MicroProfile's default cap of 180 s on the retries' total time (SmallRye's Retry reads both
// as infinite). The waits grow from 1 s to 30 s, with jitter. Only passing outages are retried (TransientFailure); an
// event wrong in itself or a failure that would come back every time is not: its consumer dead-letters it with the
// reason rather than holding the partition for good. The consumer channels are ordered, so the partition's later
// events wait behind the one being retried instead of overtaking it.
@Retry(maxRetries = -1, maxDuration = 0, delay = 1000, jitter = 500)
@ExponentialBackoff(factor = 2, maxDelay = 30_000)
@RetryWhen(exception = TransientFailure.class)
public class RegistryEventHandler {

    private static final Logger LOG = Logger.getLogger(RegistryEventHandler.class);

    private final RegistryRepository registry;
    private final ProcessedEventRepository processed;
    private final OwedTombstones owed;

    public RegistryEventHandler(RegistryRepository registry, ProcessedEventRepository processed, OwedTombstones owed) {
        this.registry = registry;
        this.processed = processed;
        this.owed = owed;
    }

    // Each call is one attempt: the event is applied in a transaction of its own, then the tombstones it owes are sent
    // a chunk per transaction (OwedTombstones) — also when the event was applied already by an attempt or a delivery
    // before, whose tombstoning may have been cut short. TransientFailure logs each retry (CANOPY-RETRY-001).

    /** A tenant event read from the given canopy.tenants partition (the partition decides who collects). */
    public void onTenantEvent(CanopyEvent event, int partition) {
        QuarkusTransaction.requiringNew().run(() -> applyTenantEvent(event, partition));
        if (event instanceof TenantOffboarded offboarded) {
            offboarded.subscriptionIds().forEach(this::settle);
        }
    }

    /** The latest policy of a subscription. */
    public void onPolicyChanged(SubscriptionPolicyChanged changed) {
        QuarkusTransaction.requiringNew().run(() -> applyPolicyChanged(changed));
        settle(changed.subscriptionId());
    }

    // A passing outage is retried with the event (the partition waits, as for the event itself). Any other failure of
    // the tombstoning must not dead-letter an event that is applied already: the sweep finishes what is owed.
    private void settle(String subscriptionId) {
        try {
            owed.settle(subscriptionId);
        } catch (RuntimeException e) {
            if (TransientFailure.isTransient(e)) {
                throw e;
            }
            LOG.warnf(e, "tombstones of subscription %s still owed, left to the sweep", subscriptionId);
        }
    }

    private void applyTenantEvent(CanopyEvent event, int partition) {
        if (!processed.markProcessed(event.eventId(), CanopyTopic.TENANTS.topicName())) {
            LOG.debugf("skipping redelivered event %s", event.eventId());
            return;
        }
        if (event instanceof TenantOnboarded onboarded) {
            register(onboarded.tenantId(), onboarded.subscriptions(), partition);
        } else if (event instanceof SubscriptionsAdded added) {
            register(added.tenantId(), added.subscriptions(), partition);
        } else if (event instanceof TenantOffboarded offboarded) {
            offboard(offboarded);
        } else {
            throw new IllegalArgumentException("unexpected event type " + event.type() + " on "
                    + CanopyTopic.TENANTS.topicName());
        }
    }

    private void applyPolicyChanged(SubscriptionPolicyChanged changed) {
        if (!processed.markProcessed(changed.eventId(), CanopyTopic.SUBSCRIPTION_POLICIES.topicName())) {
            return;
        }
        // The policy may arrive before the onboarding event (two topics, no order between them).
        registry.ensure(changed.subscriptionId(), changed.tenantId());
        RegisteredSubscription sub = registry.lock(changed.subscriptionId());
        SyncPolicy before = sub.policy == null ? null : SyncPolicy.valueOf(sub.policy);
        SyncPolicy now = changed.policy();
        // What a narrower policy no longer allows is tombstoned right after this transaction (OwedTombstones).
        sub.policy = now.name();
        // A policy that now collects more (or the first one seen) is worth a run now rather than at the next slot.
        if (before == null || (now.collectsResources() && !before.collectsResources())
                || (now.collectsTags() && !before.collectsTags())) {
            sub.runRequested = true;
        }
        LOG.infof("subscription %s: policy %s (was %s)", sub.subscriptionId, now, before);
    }

    private void register(String tenantId, List<OnboardedSubscription> subscriptions, int partition) {
        for (OnboardedSubscription onboarded : subscriptions) {
            RegisteredSubscription sub = registry.ensure(onboarded.subscriptionId(), tenantId);
            sub.tenantId = tenantId;
            sub.displayName = onboarded.displayName();
            sub.costReader = onboarded.costManagementReader();
            sub.registryPartition = partition;
            sub.active = true;
            sub.nextRunAt = Instant.now();
            LOG.infof("subscription %s of tenant %s registered on partition %d", sub.subscriptionId, tenantId, partition);
        }
    }

    private void offboard(TenantOffboarded offboarded) {
        for (String subscriptionId : offboarded.subscriptionIds()) {
            RegisteredSubscription sub = registry.lock(subscriptionId);
            if (sub != null && !sub.tenantId.equals(offboarded.tenantId())) {
                // Moved to another tenant, whose onboarding (on another partition of canopy.tenants) was read first:
                // that tenant collects it now, and what was collected stays.
                LOG.infof("subscription %s now belongs to tenant %s: the offboarding of %s leaves it alone",
                        subscriptionId, sub.tenantId, offboarded.tenantId());
                continue;
            }
            // Its snapshots are tombstoned right after this transaction (OwedTombstones).
            if (sub != null) {
                sub.active = false;
                sub.runRequested = false;
            }
        }
        LOG.infof("tenant %s offboarded: %d subscriptions no longer collected", offboarded.tenantId(),
                offboarded.subscriptionIds().size());
    }
}
