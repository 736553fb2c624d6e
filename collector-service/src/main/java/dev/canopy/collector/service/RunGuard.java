package dev.canopy.collector.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;

/**
 * Decides, at each step of a run that publishes or stores state, whether the run may still do so: it locks the
 * subscription's registry row for the rest of the step's transaction and stops the run if the subscription was
 * offboarded, its policy changed, or another run of it started meanwhile.
 */
@ApplicationScoped
public class RunGuard {

    private final RegistryRepository registry;

    public RunGuard(RegistryRepository registry) {
        this.registry = registry;
    }

    /** Thrown when the subscription's policy changed, or it was offboarded, while a run was going. */
    public static class SubscriptionChangedDuringRun extends RuntimeException {
        SubscriptionChangedDuringRun(String message) {
            super(message);
        }
    }

    /**
     * Thrown when another run of the subscription started while this one was going — at an instance its registry
     * partition moved to, which closed this run as abandoned. Whatever this run publishes from then on could undo the
     * newer run's work (its deletions would tombstone what only the newer run saw), so it publishes nothing more.
     */
    public static final class TakenOver extends SubscriptionChangedDuringRun {
        static final String REASON = "another run took the subscription over during the run";

        TakenOver() {
            super(REASON);
        }
    }

    /**
     * For a page of resources, the subscription's tags or the deletions: the run must also obey the current policy.
     * The row lock orders the step against a policy change, so a tombstone can never be overtaken by a snapshot of a
     * run that still obeys the old policy.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requireCurrentPolicy(RunContext run) {
        RegisteredSubscription sub = requireCurrentRun(run);
        if (!run.policy.name().equals(sub.policy)) {
            throw new SubscriptionChangedDuringRun("policy changed from " + run.policy + " to " + sub.policy
                    + " during the run; the next run applies it");
        }
    }

    /**
     * For spend (which no policy limits): the subscription must still be onboarded and this run its current one. The
     * row lock orders the step against an offboarding (which then tombstones what the step published) and against
     * the start of another run (RunLog#started), so a step either commits before the other run starts or sees it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public RegisteredSubscription requireCurrentRun(RunContext run) {
        RegisteredSubscription sub = registry.lock(run.subscriptionId);
        if (sub == null || !sub.active) {
            throw new SubscriptionChangedDuringRun("subscription was offboarded during the run");
        }
        if (!run.runId.equals(sub.currentRunId)) {
            throw new TakenOver();
        }
        return sub;
    }
}
