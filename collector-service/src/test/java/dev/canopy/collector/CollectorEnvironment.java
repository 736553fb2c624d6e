package dev.canopy.collector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.WorldBuilder;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.TestDatabase;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.TestKafka;

/**
 * What collector-service instances run as processes need around them, all real: the test JVM's Kafka broker, one
 * database that every instance shares (instances of one service share its database), and the Azure emulator in
 * this JVM. Launches the instances with that configuration and stops everything on close.
 */
public final class CollectorEnvironment implements AutoCloseable {

    // The test side reads topics with a fresh consumer each time, and Kafka's clients log each one's whole config at
    // INFO: thousands of lines that hide what matters. The instances' own logs keep INFO. A field, because
    // java.util.logging holds loggers weakly and would forget the level.
    private static final Logger QUIET_KAFKA_CLIENTS = Logger.getLogger("org.apache.kafka");

    private final String name;
    private final TestDatabase database;
    private final AzureEmulatorResource emulatorResource;
    private final AzureEmulator azure;
    private final Map<String, String> emulatorConfig;
    private final EventTopicClient kafka;
    private final List<CollectorProcess> instances = new ArrayList<>();

    private CollectorEnvironment(String name, TestDatabase database, AzureEmulatorResource emulatorResource,
            AzureEmulator azure, Map<String, String> emulatorConfig, EventTopicClient kafka) {
        this.name = name;
        this.database = database;
        this.emulatorResource = emulatorResource;
        this.azure = azure;
        this.emulatorConfig = emulatorConfig;
        this.kafka = kafka;
    }

    /**
     * Starts the broker (once per JVM), a fresh database and an emulator with the given limits.
     *
     * @param name names the folder under {@code target/collector-instances} that holds the instances' logs
     */
    public static CollectorEnvironment start(String name, LimitSettings limits) {
        QUIET_KAFKA_CLIENTS.setLevel(Level.WARNING);
        EventTopicClient kafka = EventTopicClient.forTestKafka();
        TestDatabase database = TestDatabase.create("collector-service");
        AzureEmulatorResource resource = new AzureEmulatorResource();
        Map<String, String> emulatorConfig;
        AtomicReference<AzureEmulator> emulator = new AtomicReference<>();
        try {
            emulatorConfig = resource.start();
            // The resource hands its emulator out only by injection into a test's fields; take it from there.
            resource.inject((value, field) -> emulator.set((AzureEmulator) value));
        } catch (RuntimeException e) {
            resource.stop();
            database.drop();
            kafka.close();
            throw e;
        }
        emulator.get().limits().configure(limits);
        return new CollectorEnvironment(name, database, resource, emulator.get(), emulatorConfig, kafka);
    }

    /** The emulator: load worlds, read its request log, change its limits. */
    public AzureEmulator azure() {
        return azure;
    }

    /** A client of the broker the instances use. */
    public EventTopicClient kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return TestKafka.bootstrapServers();
    }

    /**
     * Starts an instance (without waiting for it) on the broker, the shared database and the emulator, as Canopy's
     * app; {@code collectorConfig} adds or overrides keys such as {@code canopy.collector.tick}.
     */
    public CollectorProcess launch(String instance, Map<String, String> collectorConfig, String heap) {
        Map<String, String> config = new HashMap<>(emulatorConfig);
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.username", database.server().user());
        if (!database.server().password().isEmpty()) {
            config.put("quarkus.datasource.password", database.server().password());
        }
        config.put("canopy.azure.client-id", WorldBuilder.CANOPY_APP_ID);
        config.put("canopy.azure.client-secret", WorldBuilder.CANOPY_APP_SECRET);
        config.put("canopy.azure.instance-discovery", "false");
        config.putAll(collectorConfig);
        Path log = CollectorProcess.targetDir().resolve("collector-instances").resolve(name).resolve(instance + ".log");
        CollectorProcess process = CollectorProcess.start(instance, config, heap, log);
        instances.add(process);
        return process;
    }

    /** Starts instances side by side and waits until each is ready. */
    public List<CollectorProcess> launchReady(List<String> names, Map<String, String> collectorConfig, String heap,
            Duration within) {
        List<CollectorProcess> started = names.stream().map(n -> launch(n, collectorConfig, heap)).toList();
        started.forEach(p -> p.awaitReady(within));
        return started;
    }

    /** Stops the instances, the emulator and the client, and drops the database; the broker stays for the JVM. */
    @Override
    public void close() {
        try {
            instances.forEach(CollectorProcess::close);
        } finally {
            try {
                emulatorResource.stop();
                kafka.close();
            } finally {
                database.drop();
            }
        }
    }
}
