package dev.canopy.testsupport.kafka;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test at a real Kafka broker with Canopy's topics (see {@link TestKafka}).
 *
 * <p>This is the seam for other brokers: a Testcontainers-backed resource on a machine with a Docker engine would
 * implement the same interface and hand back the same property; nothing else in Canopy knows where Kafka runs.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", TestKafka.bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives one app: every test class of the JVM shares it, and it stops with the JVM.
    }
}
