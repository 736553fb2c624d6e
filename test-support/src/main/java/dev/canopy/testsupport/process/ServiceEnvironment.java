package dev.canopy.testsupport.process;

import java.nio.file.Path;
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
 * What instances of one service run as processes ({@link ServiceProcess}) need around them, all real: the test JVM's
 * Kafka broker, one database that every instance shares (instances of one service share its database, and an
 * instance started after another one died finds what that one left), and the Azure emulator in this JVM. Launches
 * the instances with that configuration as Canopy's app and stops everything on close.
 */
public class ServiceEnvironment implements AutoCloseable {

    // The test side reads topics with a fresh consumer each time, and Kafka's clients log each one's whole config at
    // INFO: thousands of lines that hide what matters. The instances' own logs keep INFO. A field, because
    // java.util.logging holds loggers weakly and would forget the level.
    private static final Logger QUIET_KAFKA_CLIENTS = Logger.getLogger("org.apache.kafka");

    /** How an instance is started from its name, its complete {@code -D} configuration and its log file. */
    @FunctionalInterface
    public interface Starter<P extends ServiceProcess> {
        P start(String instance, Map<String, String> config, Path log);
    }

    private final Path logDir;
    private final TestDatabase database;
    private final AzureEmulatorResource emulatorResource;
    private final AzureEmulator azure;
    private final Map<String, String> emulatorConfig;
    private final EventTopicClient kafka;
    private final List<ServiceProcess> instances = new ArrayList<>();

    /**
     * Starts the broker (once per JVM), a fresh database and an emulator with the given limits.
     *
     * @param module the service's module, which names the database
     * @param logDir the folder the instances' logs go to, {@code <instance>.log} each
     */
    protected ServiceEnvironment(String module, Path logDir, LimitSettings limits) {
        QUIET_KAFKA_CLIENTS.setLevel(Level.WARNING);
        this.logDir = logDir;
        this.kafka = EventTopicClient.forTestKafka();
        this.database = TestDatabase.create(module);
        this.emulatorResource = new AzureEmulatorResource();
        AtomicReference<AzureEmulator> emulator = new AtomicReference<>();
        try {
            this.emulatorConfig = emulatorResource.start();
            // The resource hands its emulator out only by injection into a test's fields; take it from there.
            emulatorResource.inject((value, field) -> emulator.set((AzureEmulator) value));
            emulator.get().limits().configure(limits);
        } catch (RuntimeException e) {
            emulatorResource.stop();
            database.drop();
            kafka.close();
            throw e;
        }
        this.azure = emulator.get();
    }

    /** See {@link #ServiceEnvironment(String, Path, LimitSettings)}. */
    public static ServiceEnvironment start(String module, Path logDir, LimitSettings limits) {
        return new ServiceEnvironment(module, logDir, limits);
    }

    /** The emulator: load worlds, read its request log, change its limits and faults, issue platform tokens. */
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

    /** The database the instances share. */
    public TestDatabase database() {
        return database;
    }

    /** The folder holding the instances' logs. */
    public Path logDir() {
        return logDir;
    }

    /**
     * The {@code -D} configuration of an instance: the broker, the shared database, the emulator as Entra ID, ARM
     * and the platform issuer, and Canopy's app in the emulator's world.
     */
    public Map<String, String> instanceConfig() {
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
        return config;
    }

    /**
     * Starts an instance (without waiting for it) with {@link #instanceConfig()} plus {@code serviceConfig}, which
     * adds or overrides keys; its log goes to {@code <logDir>/<instance>.log}. Closed with the environment.
     */
    public <P extends ServiceProcess> P launch(String instance, Map<String, String> serviceConfig, Starter<P> starter) {
        Map<String, String> config = instanceConfig();
        config.putAll(serviceConfig);
        P process = starter.start(instance, config, logDir.resolve(instance + ".log"));
        instances.add(process);
        return process;
    }

    /** As {@link #launch(String, Map, Starter)}, for a plain {@link ServiceProcess} of the given app. */
    public ServiceProcess launch(String instance, Path appJar, Map<String, String> serviceConfig, String heap) {
        return launch(instance, serviceConfig, (name, config, log) -> ServiceProcess.start(name, appJar, config, heap, log));
    }

    /** Stops the instances, the emulator and the client, and drops the database; the broker stays for the JVM. */
    @Override
    public void close() {
        try {
            instances.forEach(ServiceProcess::close);
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
