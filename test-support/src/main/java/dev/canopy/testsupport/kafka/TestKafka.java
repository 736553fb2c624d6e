package dev.canopy.testsupport.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.canopy.kafkabroker.LocalKafkaBroker;

/**
 * The one Kafka broker of a test JVM: an external one named by {@code KAFKA_BOOTSTRAP_SERVERS}, or a local KRaft
 * broker started on first use and stopped when the JVM exits. Canopy's topics are created on it either way.
 */
public final class TestKafka {

    // Quarkus loads test classes in a fresh class loader for each app it starts, so a static field alone would
    // start a broker per app; a system property is shared by every class loader of the JVM.
    private static final String BOOTSTRAP_PROPERTY = "canopy.test.kafka.bootstrap-servers";

    private TestKafka() {
    }

    /** The bootstrap servers of the JVM's broker, starting it and creating Canopy's topics on first call. */
    public static synchronized String bootstrapServers() {
        String known = System.getProperty(BOOTSTRAP_PROPERTY);
        if (known != null) {
            return known;
        }
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        String bootstrap = external != null && !external.isBlank() ? external : startLocalBroker();
        CanopyTopicAdmin.createAll(bootstrap);
        System.setProperty(BOOTSTRAP_PROPERTY, bootstrap);
        return bootstrap;
    }

    private static String startLocalBroker() {
        try {
            Path workDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-");
            LocalKafkaBroker broker = LocalKafkaBroker.start(workDir, 0, "384m", Duration.ofSeconds(90));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-test-kafka"));
            return broker.bootstrapServers();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not make a folder for the test Kafka broker", e);
        }
    }
}
