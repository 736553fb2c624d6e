package dev.canopy.tagsync.azure;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.canopy.azure.throttling.ThrottleBucket;
import dev.canopy.azure.throttling.ThrottlingPolicy;

/**
 * Paces tag-sync's writes per subscription to ARM's writes bucket (200 burst, refill 10/s by default;
 * {@code canopy.tag-sync.writes-burst}, {@code writes-per-second}): one bucket per subscription for the whole process,
 * so every write in flight, on any thread, draws from it. Azure's {@code x-ms-ratelimit-remaining-subscription-writes}
 * pulls a bucket down when others (another instance, the same principal elsewhere) spent part of it.
 */
@ApplicationScoped
public class WritePacer {

    /** The header in which ARM reports the writes left in a subscription's bucket for the caller. */
    public static final String REMAINING_HEADER = "x-ms-ratelimit-remaining-subscription-writes";

    private final AzureWriteConfig config;
    private final Map<String, ThrottlingPolicy.Pace> bySubscription = new ConcurrentHashMap<>();

    public WritePacer(AzureWriteConfig config) {
        this.config = config;
    }

    /**
     * @param subscriptionId a subscription id, any casing
     * @return its writes bucket, the one all writes to it share
     */
    public ThrottlingPolicy.Pace pace(String subscriptionId) {
        return bySubscription.computeIfAbsent(subscriptionId.toLowerCase(Locale.ROOT), id -> new ThrottlingPolicy.Pace(
                new ThrottleBucket(config.writesBurst(), config.writesPerSecond()), REMAINING_HEADER));
    }

    /**
     * @param subscriptionId a subscription id, any casing
     * @return the writes Canopy estimates it may still send there now without waiting (negative while writes queue)
     */
    public double available(String subscriptionId) {
        return pace(subscriptionId).bucket().available();
    }
}
