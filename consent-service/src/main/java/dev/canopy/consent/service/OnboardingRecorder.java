package dev.canopy.consent.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.consent.repository.OnboardingOutcome;
import dev.canopy.consent.repository.OnboardingOutcomeRepository;
import dev.canopy.consent.repository.OnboardingSession;
import dev.canopy.consent.repository.OnboardingSessionRepository;
import dev.canopy.consent.repository.Subscription;
import dev.canopy.consent.repository.SubscriptionRepository;
import dev.canopy.consent.repository.Tenant;
import dev.canopy.consent.repository.TenantRepository;
import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.SubscriptionsAdded;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.messaging.outbox.OutboxWriter;

import io.quarkus.logging.Log;

/**
 * Stores an onboarding run's result in one transaction: the tenant, its subscriptions, the per-subscription
 * outcomes, the session's end and the outbox rows. Only subscriptions that became active produce events, so a
 * re-run that changes nothing sends nothing.
 */
@ApplicationScoped
public class OnboardingRecorder {

    private final OnboardingSessionRepository sessions;
    private final OnboardingOutcomeRepository outcomes;
    private final TenantRepository tenants;
    private final SubscriptionRepository subscriptions;
    private final OutboxWriter outbox;

    public OnboardingRecorder(OnboardingSessionRepository sessions, OnboardingOutcomeRepository outcomes,
            TenantRepository tenants, SubscriptionRepository subscriptions, OutboxWriter outbox) {
        this.sessions = sessions;
        this.outcomes = outcomes;
        this.tenants = tenants;
        this.subscriptions = subscriptions;
        this.outbox = outbox;
    }

    /**
     * Records a finished run.
     *
     * @param costManagementReader whether Cost Management Reader was assigned with Tag Contributor
     * @param note an extra remark for the session (e.g. a partner link that failed), or null
     */
    @Transactional
    public void complete(UUID sessionId, String tenantId, String servicePrincipalId, String adminObjectId,
            List<SubscriptionOutcome> results, boolean costManagementReader, String note) {
        OnboardingSession session = sessions.findById(sessionId);
        Instant now = Instant.now();
        results.forEach(result -> outcomes.persist(outcome(sessionId, result)));
        long assigned = results.stream().filter(r -> OnboardingOutcome.ASSIGNED.equals(r.outcome())).count();
        Tenant tenant = tenants.findById(tenantId);
        if (assigned == 0 && (tenant == null || Tenant.OFFBOARDED.equals(tenant.state))) {
            // Nothing to onboard: no tenant row, no event, just a clear answer.
            finish(session, now, "nothing was onboarded: the consenting admin is not an Owner of any of the "
                    + results.size() + " subscriptions they can see in tenant " + tenantId
                    + " (see the reason per subscription)", note);
            return;
        }
        boolean newTenant = tenant == null || Tenant.OFFBOARDED.equals(tenant.state);
        if (tenant == null) {
            tenant = new Tenant();
            tenant.id = tenantId;
        }
        if (newTenant) {
            tenant.state = Tenant.ACTIVE;
            tenant.onboardedBy = adminObjectId;
            tenant.onboardedAt = now;
            tenant.offboardedAt = null;
        }
        tenant.servicePrincipalObjectId = servicePrincipalId;
        if (!tenants.isPersistent(tenant)) {
            tenants.persist(tenant);
        }

        List<OnboardedSubscription> activated = new ArrayList<>();
        for (SubscriptionOutcome result : results) {
            if (apply(tenantId, result, costManagementReader, now)) {
                activated.add(new OnboardedSubscription(result.subscriptionId(), result.displayName(),
                        costManagementReader));
            }
        }
        if (newTenant) {
            outbox.append(new TenantOnboarded(UUID.randomUUID(), now, tenantId, servicePrincipalId, adminObjectId,
                    activated));
        } else if (!activated.isEmpty()) {
            outbox.append(new SubscriptionsAdded(UUID.randomUUID(), now, tenantId, adminObjectId, activated));
        }
        for (OnboardedSubscription subscription : activated) {
            outbox.append(new SubscriptionPolicyChanged(UUID.randomUUID(), now, tenantId,
                    subscription.subscriptionId(), SyncPolicy.DEFAULT, null, adminObjectId));
        }
        finish(session, now, activated.size() + " subscription(s) newly onboarded, " + assigned + " of "
                + results.size() + " with Canopy's roles in place", note);
        Log.infof("tenant %s: %d subscriptions newly active (session %s)", tenantId, activated.size(), sessionId);
    }

    /** Applies one outcome to the subscription's row; true when the subscription became active by it. */
    private boolean apply(String tenantId, SubscriptionOutcome result, boolean costManagementReader, Instant now) {
        Subscription row = subscriptions.findById(result.subscriptionId());
        // A subscription id is global, but a subscription can move to another directory: the verified consent of
        // this tenant just saw it here, so a row left from its former tenant moves along instead of staying there
        // (where that tenant's admins would still see and steer it).
        boolean alreadyActive = row != null && Subscription.ACTIVE.equals(row.state) && tenantId.equals(row.tenantId);
        if (alreadyActive) {
            // Canopy's roles are there already (or were just confirmed): nothing changes, nothing is announced.
            return false;
        }
        boolean fresh = row == null;
        if (fresh) {
            row = new Subscription();
            row.id = result.subscriptionId();
            row.tenantId = tenantId;
        }
        row.tenantId = tenantId;
        row.displayName = result.displayName();
        row.updatedAt = now;
        switch (result.outcome()) {
            case OnboardingOutcome.ASSIGNED -> {
                row.state = Subscription.ACTIVE;
                row.stateReason = null;
                row.policy = SyncPolicy.DEFAULT.name();
                row.costManagementReader = costManagementReader;
            }
            case OnboardingOutcome.SKIPPED -> {
                row.state = Subscription.SKIPPED;
                row.stateReason = result.reason();
            }
            default -> {
                // A failed assignment stays "onboarding": a new consent session retries it.
                row.state = Subscription.ONBOARDING;
                row.stateReason = "role assignment failed: " + result.reason();
            }
        }
        if (!Subscription.ACTIVE.equals(row.state)) {
            row.policy = null;
        }
        if (fresh) {
            subscriptions.persist(row);
        }
        return Subscription.ACTIVE.equals(row.state);
    }

    private static OnboardingOutcome outcome(UUID sessionId, SubscriptionOutcome result) {
        OnboardingOutcome outcome = new OnboardingOutcome();
        outcome.sessionId = sessionId;
        outcome.subscriptionId = result.subscriptionId();
        outcome.displayName = result.displayName();
        outcome.outcome = result.outcome();
        outcome.reason = result.reason();
        return outcome;
    }

    private static void finish(OnboardingSession session, Instant now, String detail, String note) {
        session.state = OnboardingSession.COMPLETED;
        session.detail = note == null ? detail : detail + "; " + note;
        session.updatedAt = now;
    }
}
