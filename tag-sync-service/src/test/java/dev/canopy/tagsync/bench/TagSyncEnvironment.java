package dev.canopy.tagsync.bench;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldBuilder;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.TestDatabase;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.TestKafka;
import dev.canopy.testsupport.world.Onboarding;

/**
 * One part of the benchmark's surroundings, all real: the JVM's test broker, a fresh database, the Azure emulator in
 * this JVM with a synthetic world of one tenant and one subscription (Canopy's principal pre-consented), onboarded
 * through Kafka with READ_WRITE_TAGS, and tag-sync-service as the packaged app, ready and knowing the subscription.
 */
final class TagSyncEnvironment implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(2);
    // The benchmark reads topics with a fresh consumer each time and Kafka's clients log each one's whole config at
    // INFO. A field, because java.util.logging holds loggers weakly and would forget the level.
    private static final Logger QUIET_KAFKA_CLIENTS = Logger.getLogger("org.apache.kafka");

    private final EventTopicClient kafka;
    private final TestDatabase database;
    private final AzureEmulatorResource emulatorResource;
    private AzureEmulator azure;
    private TagSyncProcess app;
    private WorldSpec world;
    private TagSyncApi api;

    private TagSyncEnvironment() {
        kafka = EventTopicClient.forTestKafka();
        database = TestDatabase.create("tag-sync-service");
        emulatorResource = new AzureEmulatorResource();
    }

    /**
     * Sets everything up; a failure on the way stops what was started.
     *
     * @param name names the app's log, {@code target/bench/<name>.log}
     * @param limits the emulator's throttling
     * @param tagSyncConfig extra {@code -D} properties of the app, e.g. its {@code canopy.tag-sync.*} pacing
     * @param resources resources in the one subscription
     * @param seed the world's seed (another world per part: the parts share the broker's topics)
     */
    static TagSyncEnvironment start(String name, LimitSettings limits, Map<String, String> tagSyncConfig,
            int resources, long seed) {
        QUIET_KAFKA_CLIENTS.setLevel(Level.WARNING);
        TagSyncEnvironment env = new TagSyncEnvironment();
        try {
            env.setUp(name, limits, tagSyncConfig, resources, seed);
            return env;
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    private void setUp(String name, LimitSettings limits, Map<String, String> tagSyncConfig, int resources, long seed) {
        Map<String, String> config = new HashMap<>(emulatorResource.start());
        AtomicReference<AzureEmulator> injected = new AtomicReference<>();
        // The resource hands its emulator out only by injection into a test's fields; take it from there.
        emulatorResource.inject((value, field) -> injected.set((AzureEmulator) value));
        azure = injected.get();
        azure.limits().configure(limits);
        // No cost rows: only resources and their tags matter here.
        world = SyntheticWorld.generate(new SyntheticWorld.Parameters(seed, 1, 1, 10, resources, 0,
                LocalDate.now(ZoneOffset.UTC), "EUR", true));
        azure.loadWorld(world);

        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.username", database.server().user());
        if (!database.server().password().isEmpty()) {
            config.put("quarkus.datasource.password", database.server().password());
        }
        config.put("canopy.azure.client-id", WorldBuilder.CANOPY_APP_ID);
        config.put("canopy.azure.client-secret", WorldBuilder.CANOPY_APP_SECRET);
        config.put("canopy.azure.instance-discovery", "false");
        config.putAll(tagSyncConfig);
        app = TagSyncProcess.startReady(config, "512m", TagSyncProcess.targetDir().resolve("bench").resolve(name + ".log"),
                READY);

        Onboarding.onboardAll(kafka, world, SyncPolicy.READ_WRITE_TAGS);
        String tenantId = world.subscriptions().get(0).tenantId();
        api = new TagSyncApi(app.baseUrl(), azure.tokens().platformToken("bench-editor@canopy.example",
                List.of("tag-editor:" + tenantId), Duration.ofHours(2)));
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> api.knows(subscriptionId()));
    }

    AzureEmulator azure() {
        return azure;
    }

    EventTopicClient kafka() {
        return kafka;
    }

    TagSyncApi api() {
        return api;
    }

    TagSyncProcess app() {
        return app;
    }

    String subscriptionId() {
        return world.subscriptions().get(0).subscriptionId();
    }

    /** The subscription's resources, ARM ids in Azure's casing, in the world's order. */
    List<String> resourceIds() {
        return world.resources().stream().map(Resource::id).toList();
    }

    /** Stops the app and the emulator and drops the database; the broker stays for the JVM. */
    @Override
    public void close() {
        try {
            if (app != null) {
                app.close();
            }
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
