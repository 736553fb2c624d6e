package dev.canopy.collector.service;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.collector.repository.CollectionRun;
import dev.canopy.collector.repository.CollectionRunRepository;
import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.collector.rest.CollectionStatusResponse;

/** Reads the registry and the last run of each subscription into the status GET /collections shows. */
@ApplicationScoped
public class CollectionStatusService {

    private final RegistryRepository registry;
    private final CollectionRunRepository runs;

    public CollectionStatusService(RegistryRepository registry, CollectionRunRepository runs) {
        this.registry = registry;
        this.runs = runs;
    }

    /** @param tenants the tenants to show, or {@code null} for all (ops) */
    @Transactional
    public List<CollectionStatusResponse> statuses(Set<String> tenants) {
        List<RegisteredSubscription> subs = tenants == null ? registry.listAll()
                : tenants.isEmpty() ? List.of() : registry.list("tenantId in ?1", tenants);
        return subs.stream().sorted(Comparator.comparing((RegisteredSubscription s) -> s.tenantId)
                .thenComparing(s -> s.subscriptionId)).map(this::status).toList();
    }

    private CollectionStatusResponse status(RegisteredSubscription sub) {
        CollectionRun run = runs.latest(sub.subscriptionId).orElse(null);
        String state = !sub.active ? (sub.registryPartition < 0 ? "NOT_ONBOARDED" : "OFFBOARDED")
                : sub.policy == null ? "AWAITING_POLICY"
                : run == null ? "NOT_COLLECTED" : run.state;
        if (run == null) {
            return new CollectionStatusResponse(sub.subscriptionId, sub.tenantId, sub.displayName, sub.policy, state,
                    null, null, null, null, null, 0, 0, 0, 0, null, null, 0, sub.nextRunAt, sub.runRequested);
        }
        Long duration = run.finishedAt == null ? null : Duration.between(run.startedAt, run.finishedAt).toMillis();
        return new CollectionStatusResponse(sub.subscriptionId, sub.tenantId, sub.displayName, sub.policy, state,
                run.reason, run.runId, run.startedAt, run.finishedAt, duration, run.pagesDone, run.resourcesSeen,
                run.snapshotsPublished, run.tombstonesPublished, run.spendState, run.spendReason,
                run.spendSnapshotsPublished, sub.nextRunAt, sub.runRequested);
    }
}
