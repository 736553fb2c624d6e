package dev.canopy.consent.service;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.canopy.consent.repository.Subscription;
import dev.canopy.consent.repository.SubscriptionRepository;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.messaging.outbox.OutboxRelay;
import dev.canopy.messaging.outbox.OutboxWriter;
import dev.canopy.platform.problem.Problem;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;

import io.quarkus.logging.Log;

/**
 * Reads and changes sync policies. A change answers only once its SubscriptionPolicyChanged is acknowledged by
 * Kafka: tag-sync must never act on an acknowledged policy it has not seen (DESIGN "Sync policies").
 */
@ApplicationScoped
public class PolicyService {

    private final SubscriptionRepository subscriptions;
    private final OutboxWriter outbox;
    private final OutboxRelay relay;
    private final TenantAccess access;

    public PolicyService(SubscriptionRepository subscriptions, OutboxWriter outbox, OutboxRelay relay,
            TenantAccess access) {
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.relay = relay;
        this.access = access;
    }

    /** The policy of a subscription the caller administers. */
    @Transactional
    public PolicyView get(String subscriptionId) {
        Subscription subscription = administered(subscriptionId);
        return view(subscription);
    }

    /**
     * Changes the policy and returns once its event is on the topic.
     *
     * @param value the policy's name, validated here so the error names the field and the allowed values
     */
    public PolicyView change(String subscriptionId, String value) {
        SyncPolicy policy = parse(value);
        Change change = record(subscriptionId, policy);
        // Flushes everything pending in commit order, this change included (or the earlier one it repeats).
        relay.publishPending();
        if (change.eventId() != null && !relay.isPublished(change.eventId())) {
            throw new ProblemException(new Problem(Problem.TYPE_BASE + "event-not-acknowledged",
                    "Policy stored, not yet published", 503, "the policy of subscription " + subscriptionId
                            + " was stored but Kafka has not acknowledged its event yet; it will be published, and "
                            + "until then tag-sync keeps the previous policy. Retry the PUT to wait again.",
                    null, null));
        }
        return change.view();
    }

    /** What a recorded change produced: the new view and its event id (none when nothing changed). */
    public record Change(PolicyView view, UUID eventId) {
    }

    /** The transactional half of a change: the new policy and its outbox row, committed together. */
    @Transactional
    public Change record(String subscriptionId, SyncPolicy policy) {
        // Locked: two PUTs on one subscription take turns, so each event's "previous" is the policy the other
        // one committed, and the outbox order is the order the changes were stored in.
        Subscription subscription = administered(subscriptionId, LockModeType.PESSIMISTIC_WRITE);
        if (!Subscription.ACTIVE.equals(subscription.state)) {
            throw ProblemException.conflict("subscription " + subscriptionId + " is " + subscription.state
                    + "; only an active subscription has a sync policy");
        }
        SyncPolicy previous = subscription.policy == null ? null : SyncPolicy.valueOf(subscription.policy);
        if (previous == policy) {
            return new Change(view(subscription), null);
        }
        subscription.policy = policy.name();
        subscription.updatedAt = Instant.now();
        SubscriptionPolicyChanged event = new SubscriptionPolicyChanged(UUID.randomUUID(), subscription.updatedAt,
                subscription.tenantId, subscription.id, policy, previous, access.callerId());
        outbox.append(event);
        Log.infof("policy of subscription %s changed from %s to %s (event %s)", subscription.id, previous, policy,
                event.eventId());
        return new Change(view(subscription), event.eventId());
    }

    private Subscription administered(String subscriptionId) {
        return administered(subscriptionId, LockModeType.NONE);
    }

    private Subscription administered(String subscriptionId, LockModeType lock) {
        String id = subscriptionId == null ? "" : subscriptionId.toLowerCase(Locale.ROOT);
        Subscription subscription = subscriptions.findById(id, lock);
        String what = "subscription " + subscriptionId;
        if (subscription == null) {
            throw ProblemException.notFound(what + " was not found");
        }
        access.require(subscription.tenantId, PlatformRole.ADMIN, what);
        return subscription;
    }

    private static SyncPolicy parse(String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid("policy", "required", "policy is required; one of "
                    + Arrays.toString(SyncPolicy.values()));
        }
        try {
            return SyncPolicy.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("policy", "one-of", "policy must be one of "
                    + Arrays.toString(SyncPolicy.values()) + ", not '" + value + "'");
        }
    }

    private static PolicyView view(Subscription subscription) {
        return new PolicyView(subscription.id, subscription.tenantId,
                subscription.policy == null ? null : SyncPolicy.valueOf(subscription.policy));
    }
}
