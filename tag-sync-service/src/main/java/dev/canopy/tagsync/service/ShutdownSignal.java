package dev.canopy.tagsync.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Whether the application has begun to stop. From then on its HTTP clients, consumers and connection pools close
 * under the work in progress, so a failure seen then may be the stop itself rather than anything about the edit.
 */
@ApplicationScoped
public class ShutdownSignal {

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** True once the JVM has begun to stop, or Quarkus has announced the shutdown. */
    public boolean stopping() {
        return stopping || jvmStopping();
    }

    // On SIGTERM the JVM begins to stop before Quarkus' ShutdownEvent is fired, and from that moment its HTTP client
    // fails new calls with "Shutdown in progress" (it cannot register its own hook any more). The JVM offers no other
    // way to ask than that same refusal. Only asked when a failure is about to be recorded, so the probe is rare.
    private static boolean jvmStopping() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
