package dev.canopy.collector.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.collector.azure.CostQuery;
import dev.canopy.collector.messaging.EventPublisher;
import dev.canopy.collector.repository.SpendState;
import dev.canopy.collector.repository.SpendStateRepository;
import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;

/**
 * Turns the cost rows of one date range and cost type into one SpendSnapshot per day, published only when the day's
 * content changed — so a day Microsoft restates replaces the earlier snapshot on the compacted topic.
 */
@ApplicationScoped
public class SpendSnapshotter {

    private static final Pattern RESOURCE_GROUP = Pattern.compile("/resourcegroups/([^/]+)", Pattern.CASE_INSENSITIVE);

    private final SpendStateRepository states;
    private final EventPublisher publisher;
    private final RunGuard guard;

    public SpendSnapshotter(SpendStateRepository states, EventPublisher publisher, RunGuard guard) {
        this.states = states;
        this.publisher = publisher;
        this.guard = guard;
    }

    /** Publishes the changed days of {@code from..to}; a day without rows is a day without spend. Returns the count. */
    @Transactional
    public int publish(RunContext run, SpendSnapshot.CostType costType, LocalDate from, LocalDate to,
            List<CostQuery.Row> rows) {
        // The subscription's row stays locked until the snapshots and their fingerprints commit: an offboarding
        // either comes first (then nothing is published) or waits and tombstones what this published.
        guard.requireCurrentRun(run);
        Map<LocalDate, List<SpendLine>> byDay = new TreeMap<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            byDay.put(day, new ArrayList<>());
        }
        for (CostQuery.Row row : rows) {
            byDay.computeIfAbsent(row.day(), d -> new ArrayList<>()).add(new SpendLine(null, row.resourceId(),
                    resourceGroup(row.resourceId()), row.serviceName(), null, row.amount(), row.currency()));
        }
        EventPublisher.Batch batch = publisher.batch();
        List<Runnable> remember = new ArrayList<>();
        for (Map.Entry<LocalDate, List<SpendLine>> day : byDay.entrySet()) {
            List<SpendLine> lines = day.getValue();
            lines.sort(Comparator.comparing((SpendLine l) -> String.valueOf(l.resourceId()))
                    .thenComparing(l -> String.valueOf(l.serviceName())).thenComparing(SpendLine::currency));
            // The tenant is part of the content: a subscription that moved has its days published again under the
            // new tenant, whose consumers select spend by tenant.
            String fp = Fingerprints.of(Stream.concat(Stream.of(run.tenantId), lines.stream().map(l -> l.resourceId()
                    + "|" + l.serviceName() + "|" + l.amount().stripTrailingZeros().toPlainString() + "|"
                    + l.currency())).toArray());
            String key = run.subscriptionId + "/" + day.getKey() + "/" + costType;
            SpendState state = states.findById(key);
            if (state != null && state.fingerprint.equals(fp)) {
                continue;
            }
            batch.publish(new SpendSnapshot(UUID.randomUUID(), Instant.now(), run.tenantId, run.subscriptionId,
                    day.getKey(), costType, SpendSnapshot.Source.COST_MANAGEMENT, lines, run.runId));
            remember.add(() -> {
                SpendState row = state != null ? state : new SpendState();
                row.spendKey = key;
                row.subscriptionId = run.subscriptionId;
                row.fingerprint = fp;
                if (state == null) {
                    states.persist(row);
                }
            });
        }
        batch.await();
        remember.forEach(Runnable::run);
        return batch.size();
    }

    private static String resourceGroup(String resourceId) {
        if (resourceId == null) {
            return null;
        }
        Matcher m = RESOURCE_GROUP.matcher(resourceId);
        return m.find() ? m.group(1) : null;
    }
}
