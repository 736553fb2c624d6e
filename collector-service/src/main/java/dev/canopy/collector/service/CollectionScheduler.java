package dev.canopy.collector.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.canopy.collector.config.CollectorConfig;
import dev.canopy.collector.messaging.RegistryPartitions;
import dev.canopy.collector.repository.RegisteredSubscription;
import dev.canopy.collector.repository.RegistryRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Starts the runs that are due — scheduled or asked for — for the subscriptions whose tenants are on the registry
 * partitions this instance owns, at most {@code canopy.collector.parallel-runs} at once and never two of one
 * subscription. Ownership comes from Kafka's group assignment, so no two instances collect the same subscription and
 * no lock is needed.
 */
@ApplicationScoped
public class CollectionScheduler {

    private static final Logger LOG = Logger.getLogger(CollectionScheduler.class);
    /** How long stopping the app waits for the runs going on to end as partial. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);

    private final RegistryRepository registry;
    private final RegistryPartitions partitions;
    private final CollectionService collection;
    /** Subscriptions with a run waiting for a worker or going on here. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    // A plain pool of our own rather than a ManagedExecutor: a run needs no propagated context (each of its steps opens
    // a transaction of its own), its size is runtime config, and this bean must stop it on ShutdownEvent — while the
    // database and the producer are still open — so that the runs going on end as PARTIAL instead of staying STARTED.
    // Its queue is unbounded but holds each due subscription at most once (inFlight).
    private final ThreadPoolExecutor workers;

    public CollectionScheduler(RegistryRepository registry, RegistryPartitions partitions,
            CollectionService collection, CollectorConfig config) {
        this.registry = registry;
        this.partitions = partitions;
        this.collection = collection;
        int size = config.parallelRuns();
        if (size < 1) {
            throw new IllegalArgumentException("canopy.collector.parallel-runs must be at least 1, was " + size);
        }
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "collector-run-" + threads.incrementAndGet());
            thread.setDaemon(true); // never holds the JVM up; stop() waits for the runs
            return thread;
        });
    }

    @Scheduled(every = "${canopy.collector.tick}", delayed = "${canopy.collector.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void collectDue() {
        if (workers.isShutdown()) {
            return; // the app is stopping: its database may already be closed
        }
        List<String> due = QuarkusTransaction.requiringNew().call(() -> registry.due(partitions.owned(), Instant.now())
                .stream().map((RegisteredSubscription s) -> s.subscriptionId).toList());
        for (String subscriptionId : due) {
            // A run of it already waiting or going on is not started again; a request made meanwhile stays set in the
            // registry and gets a run after this one.
            if (!inFlight.add(subscriptionId)) {
                continue;
            }
            try {
                workers.execute(() -> run(subscriptionId));
            } catch (RejectedExecutionException e) {
                inFlight.remove(subscriptionId); // stopping
            }
        }
    }

    private void run(String subscriptionId) {
        try {
            // Ownership may have moved, and the subscription may have been offboarded or collected, while it waited
            // for a worker: check again right before the run starts.
            boolean stillDue = QuarkusTransaction.requiringNew().call(() ->
                    registry.isDue(subscriptionId, partitions.owned(), Instant.now()));
            if (stillDue && !workers.isShutdown()) {
                collection.collect(subscriptionId, workers::isShutdown);
            }
        } catch (RuntimeException e) {
            // One subscription's failure must not hold up the others.
            LOG.errorf(e, "collection of subscription %s failed", subscriptionId);
        } finally {
            inFlight.remove(subscriptionId);
        }
    }

    /**
     * Stops the runs before the app closes the database and the producer: none waiting starts, and those going on are
     * interrupted and end as PARTIAL (a run that does not end within {@link #STOP_WAIT} stays STARTED until its
     * subscription's next run closes it).
     */
    void stop(@Observes ShutdownEvent event) {
        // Interrupted at once rather than left to reach their next page: on SIGTERM the Azure SDK's own shutdown hook
        // stops the executor its HTTP client answers on, so a call going on would never return by itself.
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%d collection runs still going on as the app stops", workers.getActiveCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
