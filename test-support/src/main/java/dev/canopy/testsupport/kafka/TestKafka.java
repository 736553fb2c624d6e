package dev.canopy.testsupport.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.canopy.kafkabroker.LocalKafkaBroker;

/**
 * The one Kafka broker of a test JVM: an external one named by {@code KAFKA_BOOTSTRAP_SERVERS}, or a local KRaft
 * broker started on first use and stopped when the JVM exits. Canopy's topics are created on it either way.
 */
public final class TestKafka {

    // Quarkus loads test classes in a fresh class loader for each app it starts, so a static field alone would
    // start a broker per app; system properties are shared by every class loader of the JVM. A failure is
    // remembered too, so the tests after the first fail at once instead of each waiting for the same timeout.
    private static final String BOOTSTRAP_PROPERTY = "canopy.test.kafka.bootstrap-servers";
    private static final String FAILURE_PROPERTY = "canopy.test.kafka.failure";
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(10);

    private TestKafka() {
    }

    /** The bootstrap servers of the JVM's broker, starting it and creating Canopy's topics on first call. */
    public static synchronized String bootstrapServers() {
        String known = System.getProperty(BOOTSTRAP_PROPERTY);
        if (known != null) {
            return known;
        }
        String earlierFailure = System.getProperty(FAILURE_PROPERTY);
        if (earlierFailure != null) {
            throw new IllegalStateException(earlierFailure + " (failed earlier in this test JVM)");
        }
        try {
            String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            String bootstrap;
            if (external != null && !external.isBlank()) {
                bootstrap = external;
                requireReachable(bootstrap, "the broker named by KAFKA_BOOTSTRAP_SERVERS");
            } else {
                bootstrap = startLocalBroker();
            }
            CanopyTopicAdmin.createAll(bootstrap);
            System.setProperty(BOOTSTRAP_PROPERTY, bootstrap);
            return bootstrap;
        } catch (RuntimeException e) {
            System.setProperty(FAILURE_PROPERTY, e.getMessage());
            throw e;
        }
    }

    /** Fails with a message naming the broker and where its address came from unless it answers within 10 s. */
    static void requireReachable(String bootstrap, String which) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis()));
        try {
            admin.describeCluster().nodes().get(REACH_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka is not reachable at " + bootstrap + " (" + which + ") within "
                    + REACH_TIMEOUT.toSeconds() + " s; unset KAFKA_BOOTSTRAP_SERVERS to let the tests start their own "
                    + "broker, or start that one", e);
        } finally {
            // Pending calls to a dead address would otherwise hold close() for their full timeout.
            admin.close(Duration.ZERO);
        }
    }

    private static String startLocalBroker() {
        try {
            Path workDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-");
            LocalKafkaBroker broker = LocalKafkaBroker.start(workDir, 0, "384m", Duration.ofSeconds(90));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-test-kafka"));
            return broker.bootstrapServers();
        } catch (IOException e) {
            throw new IllegalStateException("could not make a folder for the test Kafka broker", e);
        }
    }
}
