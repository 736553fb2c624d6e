package dev.canopy.consent.service;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.canopy.consent.config.ConsentConfig;
import dev.canopy.consent.repository.OnboardingOutcomeRepository;
import dev.canopy.consent.repository.OnboardingSession;
import dev.canopy.consent.repository.OnboardingSessionRepository;
import dev.canopy.consent.repository.Tenant;
import dev.canopy.consent.repository.TenantRepository;
import dev.canopy.platform.problem.ProblemException;
import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantAccess;

import io.quarkus.logging.Log;

/**
 * Onboarding sessions: opened by a platform admin, tied to the browser's consent, and checked when the consent
 * comes back — the consenting tenant (the verified token's {@code tid}) must be one the session's creator
 * administers in Canopy, so a consent can never land in a session of somebody else's tenant.
 */
@ApplicationScoped
public class OnboardingService {

    private final OnboardingSessionRepository sessions;
    private final OnboardingOutcomeRepository outcomes;
    private final TenantRepository tenants;
    private final TenantAccess access;
    private final ConsentConfig config;

    public OnboardingService(OnboardingSessionRepository sessions, OnboardingOutcomeRepository outcomes,
            TenantRepository tenants, TenantAccess access, ConsentConfig config) {
        this.sessions = sessions;
        this.outcomes = outcomes;
        this.tenants = tenants;
        this.access = access;
        this.config = config;
    }

    /** Opens a first-onboarding session; the consent may come from any tenant the caller administers. */
    @Transactional
    public SessionView openOnboarding(URI baseUri) {
        List<String> administered = access.tenants().stream()
                .filter(tenant -> access.roles().has(tenant, PlatformRole.ADMIN)).sorted().toList();
        if (administered.isEmpty()) {
            throw ProblemException.forbidden("onboarding needs the 'admin' role in the tenant to be onboarded");
        }
        return open(OnboardingSession.ONBOARD, administered, baseUri);
    }

    /** Opens a session that adds subscriptions to an onboarded tenant (a new consent, the same rules). */
    @Transactional
    public SessionView openAddSubscriptions(String tenantId, URI baseUri) {
        String id = TenantService.normalize(tenantId);
        access.require(id, PlatformRole.ADMIN, "tenant " + tenantId);
        Tenant tenant = tenants.findById(id);
        if (tenant == null) {
            throw ProblemException.notFound("tenant " + tenantId + " was not found");
        }
        if (!Tenant.ACTIVE.equals(tenant.state)) {
            throw ProblemException.conflict("tenant " + tenantId + " is " + tenant.state
                    + "; onboard it again with POST /onboarding/sessions");
        }
        return open(OnboardingSession.ADD_SUBSCRIPTIONS, List.of(id), baseUri);
    }

    /** A session its creator, or an admin of its tenant, may see; 404 for everybody else. */
    @Transactional
    public SessionView view(UUID sessionId, URI baseUri) {
        OnboardingSession session = sessions.findById(sessionId);
        boolean visible = session != null && (session.createdBy.equals(access.callerId())
                || (session.tenantId != null && access.roles().has(session.tenantId, PlatformRole.ADMIN)));
        if (!visible) {
            throw ProblemException.notFound("onboarding session " + sessionId + " was not found");
        }
        return view(session, baseUri);
    }

    /** The browser is about to leave for Microsoft: the session must exist and still wait for its consent. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public void requireAwaitingConsent(UUID sessionId) {
        awaiting(sessionId);
    }

    /**
     * The consent came back with a verified token. Checks the tenant and marks the session running.
     *
     * @return the session, now running
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public SessionView consented(UUID sessionId, String tokenTenantId, URI baseUri) {
        OnboardingSession session = awaiting(sessionId);
        String tenantId = TenantService.normalize(tokenTenantId);
        session.tenantId = tenantId;
        if (!Arrays.asList(session.allowedTenantIds.split(" ")).contains(tenantId)) {
            fail(session, "the consent came from tenant " + tenantId + ", which is not the tenant this session "
                    + "was opened for (or one its creator administers in Canopy); nothing was changed in Azure");
            throw ProblemException.forbidden(session.detail);
        }
        session.state = OnboardingSession.RUNNING;
        session.updatedAt = Instant.now();
        Log.infof("onboarding session %s: consent from tenant %s, assigning roles", sessionId, tenantId);
        return view(session, baseUri);
    }

    /** The admin cancelled or Microsoft refused: the session fails with Microsoft's reason. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public void consentRefused(UUID sessionId, String error, String description) {
        OnboardingSession session = awaiting(sessionId);
        fail(session, "consent was not given (" + error + (description == null ? "" : ": " + description)
                + "); nothing was changed in Azure. Open a new onboarding session to try again.");
        throw ProblemException.invalid("consent", "consent-given", session.detail);
    }

    /** Marks a session failed (the Azure run broke off). */
    @Transactional
    public void failed(UUID sessionId, String reason) {
        OnboardingSession session = sessions.findById(sessionId);
        if (session != null) {
            fail(session, reason);
        }
    }

    private OnboardingSession awaiting(UUID sessionId) {
        // Locked: two callbacks (or a callback and consent-failed) for one session take turns, and only the first
        // finds it still awaiting its consent.
        OnboardingSession session = sessionId == null ? null
                : sessions.findById(sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (session == null) {
            throw ProblemException.notFound("onboarding session " + sessionId + " was not found");
        }
        if (!OnboardingSession.AWAITING_CONSENT.equals(session.state)) {
            throw ProblemException.conflict("onboarding session " + sessionId + " is " + session.state
                    + "; a session takes one consent. Open a new one.");
        }
        if (!Instant.now().isBefore(session.expiresAt)) {
            fail(session, "the consent did not come back before the session expired at " + session.expiresAt);
            throw ProblemException.conflict(session.detail);
        }
        return session;
    }

    private SessionView open(String kind, List<String> allowedTenants, URI baseUri) {
        OnboardingSession session = new OnboardingSession();
        session.id = UUID.randomUUID();
        session.kind = kind;
        session.createdBy = access.callerId();
        session.allowedTenantIds = String.join(" ", allowedTenants).toLowerCase(Locale.ROOT);
        session.state = OnboardingSession.AWAITING_CONSENT;
        session.createdAt = Instant.now();
        session.updatedAt = session.createdAt;
        session.expiresAt = session.createdAt.plus(config.sessionLifetime());
        sessions.persist(session);
        Log.infof("onboarding session %s opened (%s)", session.id, kind);
        return view(session, baseUri);
    }

    private static void fail(OnboardingSession session, String reason) {
        session.state = OnboardingSession.FAILED;
        session.detail = reason;
        session.updatedAt = Instant.now();
        Log.infof("onboarding session %s failed: %s", session.id, reason);
    }

    private SessionView view(OnboardingSession session, URI baseUri) {
        URI consentUrl = OnboardingSession.AWAITING_CONSENT.equals(session.state)
                ? baseUri.resolve("onboarding/consent/" + session.id) : null;
        List<SessionView.Outcome> results = outcomes.listBySession(session.id).stream()
                .map(o -> new SessionView.Outcome(o.subscriptionId, o.displayName, o.outcome, o.reason)).toList();
        return new SessionView(session.id, session.kind, session.state, session.tenantId, consentUrl,
                session.expiresAt, session.detail, results);
    }
}
