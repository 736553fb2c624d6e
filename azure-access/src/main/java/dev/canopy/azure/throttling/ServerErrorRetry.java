package dev.canopy.azure.throttling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RetryPolicy;

/**
 * The SDK's exponential back-off for pipelines that also hold a {@link ThrottlingPolicy}: retries 5xx, 408 and
 * dropped connections, but never a 429. A 429 only reaches the retry policy once the throttling policy has waited
 * out its whole bound; retrying it would wait that bound again for every retry.
 */
public final class ServerErrorRetry extends ExponentialBackoff {

    private ServerErrorRetry(int maxRetries, Duration baseDelay) {
        // The SDK's cap of 16 × the base keeps the last retries from stretching into minutes.
        super(maxRetries, baseDelay, baseDelay.multipliedBy(16));
    }

    /**
     * @param maxRetries retries after the first attempt
     * @param baseDelay the first back-off; it doubles per retry (with the SDK's jitter)
     * @return the retry policy, to be placed before the {@link ThrottlingPolicy}
     */
    public static RetryPolicy policy(int maxRetries, Duration baseDelay) {
        return new RetryPolicy(new ServerErrorRetry(maxRetries, baseDelay));
    }

    @Override
    public boolean shouldRetry(HttpResponse response) {
        return response.getStatusCode() != 429 && super.shouldRetry(response);
    }

    /**
     * Retries a request that got no answer (a dropped connection, a timeout) and nothing else: an exception a policy
     * of the pipeline throws on purpose — e.g. a caller's last-moment veto — is not a network failure.
     */
    @Override
    public boolean shouldRetryException(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
