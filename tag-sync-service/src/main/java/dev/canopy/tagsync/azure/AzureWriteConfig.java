package dev.canopy.tagsync.azure;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How tag-sync writes to Azure: the throttling buckets it paces to, retries, and how long it waits for Azure. */
@ConfigMapping(prefix = "canopy.tag-sync")
public interface AzureWriteConfig {

    /** Burst of ARM's writes bucket per subscription and principal (AZURE-CONTRACTS §3.1). */
    @WithDefault("200")
    int writesBurst();

    /** Refill of ARM's writes bucket per second. */
    @WithDefault("10")
    double writesPerSecond();

    /** Burst of ARM's reads bucket (tag reads before and after each write, status polls). */
    @WithDefault("250")
    int readsBurst();

    /** Refill of ARM's reads bucket per second. */
    @WithDefault("25")
    double readsPerSecond();

    /** Retries of a call that got a 5xx or no answer (429s are never counted here). */
    @WithDefault("3")
    int maxRetries();

    /** First back-off after a 5xx or a dropped connection; doubles per retry. */
    @WithDefault("PT0.8S")
    Duration retryBaseDelay();

    /** The most Retry-After time one call waits out before it gives up throttled: generous, a 429 is not a failure. */
    @WithDefault("PT15M")
    Duration maxThrottleWait();

    /** How long a write answered with 202 is followed on its status URL before the tags read back decide. */
    @WithDefault("PT2M")
    Duration asyncTimeout();
}
