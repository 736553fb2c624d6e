package dev.canopy.collector.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.canopy.collector.messaging.RegistryPartitions;
import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Starts the runs that are due — scheduled or asked for — for the subscriptions whose tenants are on the registry
 * partitions this instance owns. Ownership comes from Kafka's group assignment, so no two instances collect the same
 * subscription and no lock is needed.
 */
@ApplicationScoped
public class CollectionScheduler {

    private static final Logger LOG = Logger.getLogger(CollectionScheduler.class);

    private final RegistryRepository registry;
    private final RegistryPartitions partitions;
    private final CollectionService collection;

    public CollectionScheduler(RegistryRepository registry, RegistryPartitions partitions,
            CollectionService collection) {
        this.registry = registry;
        this.partitions = partitions;
        this.collection = collection;
    }

    @Scheduled(every = "${canopy.collector.tick}", delayed = "${canopy.collector.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void collectDue() {
        List<String> due = QuarkusTransaction.requiringNew().call(() -> registry.due(partitions.owned(), Instant.now())
                .stream().map((RegisteredSubscription s) -> s.subscriptionId).toList());
        for (String subscriptionId : due) {
            // Ownership may have moved while earlier runs went on: check again right before each run.
            boolean stillOurs = QuarkusTransaction.requiringNew().call(() -> {
                RegisteredSubscription sub = registry.findById(subscriptionId);
                return sub != null && sub.active && partitions.owned().contains(sub.registryPartition);
            });
            if (!stillOurs) {
                continue;
            }
            try {
                collection.collect(subscriptionId);
            } catch (RuntimeException e) {
                // One subscription's failure must not hold up the others.
                LOG.errorf(e, "collection of subscription %s failed", subscriptionId);
            }
        }
    }
}
