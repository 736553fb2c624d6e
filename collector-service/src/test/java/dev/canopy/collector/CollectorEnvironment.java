package dev.canopy.collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.testsupport.process.ServiceEnvironment;

/**
 * test-support's {@link ServiceEnvironment} (the broker, one shared database, the emulator) for collector-service
 * instances run as processes; their logs go to {@code target/collector-instances/<name>/}.
 */
public final class CollectorEnvironment extends ServiceEnvironment {

    private CollectorEnvironment(String name, LimitSettings limits) {
        super("collector-service", CollectorProcess.targetDir().resolve("collector-instances").resolve(name), limits);
    }

    /**
     * Starts the broker (once per JVM), a fresh database and an emulator with the given limits.
     *
     * @param name names the folder under {@code target/collector-instances} that holds the instances' logs
     */
    public static CollectorEnvironment start(String name, LimitSettings limits) {
        return new CollectorEnvironment(name, limits);
    }

    /**
     * Starts an instance (without waiting for it) on the broker, the shared database and the emulator, as Canopy's
     * app; {@code collectorConfig} adds or overrides keys such as {@code canopy.collector.tick}.
     */
    public CollectorProcess launch(String instance, Map<String, String> collectorConfig, String heap) {
        return launch(instance, collectorConfig, (name, config, log) -> CollectorProcess.start(name, config, heap, log));
    }

    /** Starts instances side by side and waits until each is ready. */
    public List<CollectorProcess> launchReady(List<String> names, Map<String, String> collectorConfig, String heap,
            Duration within) {
        List<CollectorProcess> started = names.stream().map(n -> launch(n, collectorConfig, heap)).toList();
        started.forEach(p -> p.awaitReady(within));
        return started;
    }
}
