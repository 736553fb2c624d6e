package dev.canopy.collector.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How often and how much the collector collects, and how it treats Azure's limits. */
@ConfigMapping(prefix = "canopy.collector")
public interface CollectorConfig {

    /** How often the scheduler looks for due or requested runs (read by {@code @Scheduled}). */
    @WithDefault("10s")
    String tick();

    /**
     * Runs going on at once in one instance, at least 1; never two of the same subscription. A slow subscription (a
     * throttled or very large one) then holds up only its own worker.
     */
    @WithDefault("4")
    int parallelRuns();

    /**
     * Resources tombstoned per transaction when an offboarding or a narrower policy removes a subscription's snapshots:
     * each chunk is a short transaction of its own, so a subscription of any size is tombstoned without a long one.
     */
    @WithDefault("500")
    int tombstoneChunk();

    /**
     * How often the collector looks for tombstones still owed (an offboarding or a narrower policy whose tombstoning
     * an outage or a stop cut short) and sends them.
     */
    @WithDefault("5m")
    String tombstoneSweep();

    /** Time between two scheduled runs of one subscription. */
    @WithDefault("PT1H")
    Duration interval();

    /** Whole months of spend collected before the current month (Cost Management data is restated for weeks). */
    @WithDefault("1")
    int spendBackfillMonths();

    /** ARM list page size ({@code $top}); absent means ARM's default page. */
    Optional<Integer> pageSize();

    /** Retries of a 5xx or dropped call before a run is marked partial (429 is never counted here). */
    @WithDefault("3")
    int maxRetries();

    /** First back-off after a 5xx; doubles per retry. */
    @WithDefault("PT0.8S")
    Duration retryBaseDelay();

    /** The most retry-after time one Azure call waits out (429 after 429) before its run gives up as partial. */
    @WithDefault("PT30M")
    Duration maxThrottleWait();

    /** ARM's read bucket per subscription and principal: its burst (AZURE-CONTRACTS §3.1). */
    @WithDefault("250")
    int armReadsBurst();

    /** ARM's read refill per second per subscription and principal. */
    @WithDefault("25")
    double armReadsPerSecond();

    /** Cost Management queries per tenant in any 10 seconds (AZURE-CONTRACTS §3.4). */
    @WithDefault("12")
    int costQueriesPer10Seconds();

    /** Cost Management queries per tenant in any minute. */
    @WithDefault("60")
    int costQueriesPerMinute();

    /** Cost Management queries per tenant in any hour. */
    @WithDefault("600")
    int costQueriesPerHour();

    /** Cost Management queries per scope (a subscription) in any minute. */
    @WithDefault("4")
    int costQueriesPerScopePerMinute();
}
