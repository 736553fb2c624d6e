package dev.canopy.consent.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.credential.TokenCredential;

import dev.canopy.consent.azure.AzureCallFailedException;
import dev.canopy.consent.azure.AzureRoles;
import dev.canopy.consent.azure.CandidateSubscription;
import dev.canopy.consent.azure.DelegatedCredential;
import dev.canopy.consent.azure.PartnerLinkWriter;
import dev.canopy.consent.azure.PrincipalNotReplicatedException;
import dev.canopy.consent.azure.RoleAssignmentWriter;
import dev.canopy.consent.azure.ServicePrincipalIdentity;
import dev.canopy.consent.azure.SubscriptionOwnership;
import dev.canopy.consent.config.ConsentConfig;
import dev.canopy.consent.repository.OnboardingOutcome;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Does the Azure part of an onboarding off the request thread, with the delegated token held only in memory for
 * the run: finds the subscriptions the admin owns, gives Canopy's service principal its roles there, links the
 * partner id, and hands the result to {@link OnboardingRecorder}.
 */
@ApplicationScoped
public class OnboardingRunner {

    // Entra ID's delegated ARM tokens live 60-90 minutes; assume the shortest.
    private static final long TOKEN_MINUTES = 60;

    private final ServicePrincipalIdentity servicePrincipal;
    private final SubscriptionOwnership ownership;
    private final RoleAssignmentWriter roleAssignments;
    private final PartnerLinkWriter partnerLink;
    private final OnboardingRecorder recorder;
    private final OnboardingService sessions;
    private final ConsentConfig config;

    public OnboardingRunner(ServicePrincipalIdentity servicePrincipal, SubscriptionOwnership ownership,
            RoleAssignmentWriter roleAssignments, PartnerLinkWriter partnerLink, OnboardingRecorder recorder,
            OnboardingService sessions, ConsentConfig config) {
        this.servicePrincipal = servicePrincipal;
        this.ownership = ownership;
        this.roleAssignments = roleAssignments;
        this.partnerLink = partnerLink;
        this.recorder = recorder;
        this.sessions = sessions;
        this.config = config;
    }

    /** Starts the run on a worker thread; the token goes no further than the run's credential. */
    public void start(UUID sessionId, String tenantId, String adminObjectId, String delegatedToken) {
        TokenCredential admin = new DelegatedCredential(delegatedToken, OffsetDateTime.now().plusMinutes(TOKEN_MINUTES));
        Infrastructure.getDefaultWorkerPool().execute(() -> run(sessionId, tenantId, adminObjectId, admin));
    }

    void run(UUID sessionId, String tenantId, String adminObjectId, TokenCredential admin) {
        try {
            String principalId = servicePrincipal.objectId(tenantId);
            List<SubscriptionOutcome> results = new ArrayList<>();
            for (CandidateSubscription candidate : ownership.candidates(admin, tenantId, adminObjectId)) {
                results.add(candidate.owner() ? assign(admin, tenantId, candidate, principalId)
                        : new SubscriptionOutcome(candidate.subscriptionId(), candidate.displayName(),
                                OnboardingOutcome.SKIPPED, candidate.reason()));
            }
            String note = null;
            if (config.partnerId().isPresent()
                    && results.stream().anyMatch(r -> OnboardingOutcome.ASSIGNED.equals(r.outcome()))) {
                note = linkPartner(tenantId, config.partnerId().get());
            }
            recorder.complete(sessionId, tenantId, principalId, adminObjectId, results, config.costManagementReader(),
                    note);
        } catch (RuntimeException e) {
            Log.warnf("onboarding session %s failed: %s", sessionId, e.getMessage());
            sessions.failed(sessionId, "onboarding stopped: " + e.getMessage()
                    + ". Roles already assigned stay; open a new session to retry.");
        }
    }

    private SubscriptionOutcome assign(TokenCredential admin, String tenantId, CandidateSubscription candidate,
            String principalId) {
        List<String> roles = config.costManagementReader()
                ? List.of(AzureRoles.TAG_CONTRIBUTOR, AzureRoles.COST_MANAGEMENT_READER)
                : List.of(AzureRoles.TAG_CONTRIBUTOR);
        try {
            for (String role : roles) {
                roleAssignments.assign(admin, tenantId, candidate.subscriptionId(), principalId, role);
            }
            return new SubscriptionOutcome(candidate.subscriptionId(), candidate.displayName(),
                    OnboardingOutcome.ASSIGNED, null);
        } catch (AzureCallFailedException e) {
            return failed(candidate, e.describe());
        } catch (PrincipalNotReplicatedException e) {
            return failed(candidate, "PrincipalNotFound (still not replicated after retries): " + e.getMessage());
        }
    }

    private static SubscriptionOutcome failed(CandidateSubscription candidate, String reason) {
        return new SubscriptionOutcome(candidate.subscriptionId(), candidate.displayName(), OnboardingOutcome.FAILED,
                reason);
    }

    private String linkPartner(String tenantId, String partnerId) {
        try {
            partnerLink.link(tenantId, partnerId);
            return null;
        } catch (AzureCallFailedException e) {
            Log.warnf("partner link in tenant %s failed: %s", tenantId, e.describe());
            return "the partner link failed (" + e.describe() + ")";
        }
    }
}
