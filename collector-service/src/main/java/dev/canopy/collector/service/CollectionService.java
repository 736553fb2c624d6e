package dev.canopy.collector.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.azure.core.http.HttpPipeline;

import dev.canopy.azure.throttling.ThrottlingPolicy;
import dev.canopy.collector.azure.ArmInventory;
import dev.canopy.collector.azure.AzureCallException;
import dev.canopy.collector.azure.AzureClients;
import dev.canopy.collector.azure.CostQuery;
import dev.canopy.collector.config.CollectorConfig;
import dev.canopy.collector.repository.CollectionRun;
import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import dev.canopy.events.CollectionRunProgress.Phase;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.policy.SyncPolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * One collection run of one subscription: its state, resource groups and resources with tags (as the policy
 * allows), vanished resources (only after a complete listing), then spend. Runs on a worker thread; the Azure SDK
 * is called synchronously.
 */
@ApplicationScoped
public class CollectionService {

    private static final Logger LOG = Logger.getLogger(CollectionService.class);
    /** Subscription states in which ARM still answers for the subscription's resources. */
    private static final Set<String> LIVE_STATES = Set.of("enabled", "warned", "pastdue");

    private final RegistryRepository registry;
    private final AzureClients clients;
    private final ResourceSnapshotter resources;
    private final SpendSnapshotter spend;
    private final RunLog runLog;
    private final CollectorConfig config;

    public CollectionService(RegistryRepository registry, AzureClients clients, ResourceSnapshotter resources,
            SpendSnapshotter spend, RunLog runLog, CollectorConfig config) {
        this.registry = registry;
        this.clients = clients;
        this.resources = resources;
        this.spend = spend;
        this.runLog = runLog;
        this.config = config;
    }

    /**
     * Collects one subscription now; returns the finished run.
     *
     * @param stopRequested true once the instance stops (its worker is interrupted too): the run then ends as PARTIAL
     */
    public CollectionRun collect(String subscriptionId, BooleanSupplier stopRequested) {
        RunContext run = QuarkusTransaction.requiringNew().call(() -> {
            RegisteredSubscription sub = registry.findById(subscriptionId);
            return new RunContext(sub.tenantId, sub.subscriptionId, SyncPolicy.valueOf(sub.policy), sub.costReader,
                    stopRequested);
        });
        Instant start = Instant.now();
        runLog.started(run);
        // Each 429 the pipelines absorb is counted for the run's log line.
        ThrottlingPolicy.Listener throttled = (request, wait) -> run.throttled.incrementAndGet();
        ArmInventory inventory = new ArmInventory(clients.arm(run.tenantId, run.subscriptionId, throttled),
                run.subscriptionId, config.pageSize());

        Phase phase = Phase.FINISHED;
        String reason = null;
        SpendOutcome spendOutcome = new SpendOutcome(SpendOutcome.State.SKIPPED, "access lost", 0);
        ArmInventory.SubscriptionInfo subscription = null;
        boolean takenOver = false;
        try {
            subscription = inventory.subscription();
            if (!LIVE_STATES.contains(subscription.state().toLowerCase(Locale.ROOT))) {
                // Disabled or deleted: ARM may still list, but nothing there is current; keep what was published.
                phase = Phase.ACCESS_LOST;
                reason = "subscription is " + subscription.state();
            }
        } catch (AzureCallException e) {
            // 401/403: Canopy's roles are gone; 404 or a token of the wrong tenant: the subscription moved.
            phase = e.accessDenied() || e.status() == 404 ? Phase.ACCESS_LOST : Phase.PARTIAL;
            reason = e.getMessage();
        }
        if (phase == Phase.FINISHED && run.policy.collectsResources()) {
            try {
                run.published.addAndGet(resources.publishSubscriptionTags(run, subscription.id(), subscription.tags()));
                inventory.resourceGroups(page -> page(run, page, ResourceSnapshot.Kind.RESOURCE_GROUP));
                inventory.resources(page -> page(run, page, ResourceSnapshot.Kind.RESOURCE));
                // Only a complete listing proves that a resource is gone.
                run.tombstones.addAndGet(resources.deleteVanished(run));
            } catch (AzureCallException e) {
                phase = e.accessDenied() && run.pages.get() == 0 ? Phase.ACCESS_LOST : Phase.PARTIAL;
                reason = e.getMessage();
            } catch (RunGuard.TakenOver e) {
                phase = Phase.PARTIAL;
                reason = e.getMessage();
                // The run that took over collects spend too; this one would only use up the Cost Management quota.
                takenOver = true;
                spendOutcome = new SpendOutcome(SpendOutcome.State.SKIPPED, e.getMessage(), 0);
            } catch (RunGuard.SubscriptionChangedDuringRun | RunContext.Stopped e) {
                phase = Phase.PARTIAL;
                reason = e.getMessage();
            } catch (RuntimeException e) {
                // Our own failure (Kafka, database): the listing is incomplete, so it must not delete anything.
                LOG.errorf(e, "collection run %s of subscription %s failed", run.runId, run.subscriptionId);
                phase = Phase.PARTIAL;
                reason = "collector error: " + e.getMessage();
            }
        }
        if (phase != Phase.ACCESS_LOST && !takenOver) {
            try {
                spendOutcome = collectSpend(run, throttled);
            } catch (RuntimeException e) {
                LOG.errorf(e, "spend of collection run %s of subscription %s failed", run.runId, run.subscriptionId);
                spendOutcome = new SpendOutcome(SpendOutcome.State.PARTIAL, "collector error: " + e.getMessage(), 0);
            }
        }
        if (phase == Phase.PARTIAL) {
            reason = run.partialReason(reason);
        }
        // A run stopped while it waited is interrupted; its end must still be recorded and published.
        boolean interrupted = Thread.interrupted();
        CollectionRun row = runLog.finished(run, phase, reason, spendOutcome);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.infof("collection run %s of subscription %s (tenant %s, policy %s): %s in %d ms; %d pages, %d seen, "
                        + "%d snapshots, %d tombstones; spend %s (%d snapshots)%s; %d throttled calls%s",
                run.runId, run.subscriptionId, run.tenantId, run.policy, phase,
                Duration.between(start, Instant.now()).toMillis(), row.pagesDone, row.resourcesSeen,
                row.snapshotsPublished, row.tombstonesPublished, spendOutcome.state(), spendOutcome.published(),
                spendOutcome.reason() == null ? "" : " [" + spendOutcome.reason() + "]", run.throttled.get(),
                reason == null ? "" : "; reason: " + reason);
        return row;
    }

    private void page(RunContext run, List<ArmInventory.Item> items, ResourceSnapshot.Kind kind) {
        run.checkNotStopped();
        run.published.addAndGet(resources.publishPage(run, items, kind));
        run.pages.incrementAndGet();
        run.seen.addAndGet(items.size());
        runLog.pageDone(run);
    }

    private SpendOutcome collectSpend(RunContext run, ThrottlingPolicy.Listener throttled) {
        if (!run.costReader) {
            return new SpendOutcome(SpendOutcome.State.UNAVAILABLE,
                    "Canopy was not granted Cost Management Reader at onboarding", 0);
        }
        HttpPipeline pipeline = clients.costManagement(run.tenantId, run.subscriptionId, throttled);
        CostQuery query = new CostQuery(pipeline, clients.armEndpoint(), run.subscriptionId);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long published = 0;
        List<String> noContent = new ArrayList<>();
        try {
            for (int back = config.spendBackfillMonths(); back >= 0; back--) {
                LocalDate from = today.minusMonths(back).withDayOfMonth(1);
                LocalDate to = back == 0 ? today : from.withDayOfMonth(from.lengthOfMonth());
                for (SpendSnapshot.CostType type : SpendSnapshot.CostType.values()) {
                    run.checkNotStopped();
                    String azureType = type == SpendSnapshot.CostType.ACTUAL ? "ActualCost" : "AmortizedCost";
                    Optional<List<CostQuery.Row>> rows = query.daily(azureType, from, to);
                    if (rows.isPresent()) {
                        published += spend.publish(run, type, from, to, rows.get());
                    } else {
                        noContent.add(azureType + " " + from + ".." + to);
                    }
                }
            }
            return noContent.isEmpty() ? new SpendOutcome(SpendOutcome.State.COLLECTED, null, published)
                    : new SpendOutcome(SpendOutcome.State.PARTIAL, "Cost Management answered 204 No Content for "
                            + String.join(", ", noContent) + "; earlier snapshots of those days kept", published);
        } catch (AzureCallException e) {
            return new SpendOutcome(e.accessDenied() ? SpendOutcome.State.UNAVAILABLE : SpendOutcome.State.PARTIAL,
                    e.getMessage(), published);
        } catch (RunGuard.SubscriptionChangedDuringRun | RunContext.Stopped e) {
            return new SpendOutcome(SpendOutcome.State.PARTIAL, e.getMessage(), published);
        }
    }
}
