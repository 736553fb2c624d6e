package dev.canopy.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.TopicSpec;

/** The JVM's broker, started from Maven Central jars, carries every declared topic as declared. */
class TestKafkaTest {

    @Test
    void everyDeclaredTopicAndItsDlqExistWithTheDeclaredShape() throws Exception {
        String bootstrap = new KafkaBrokerResource().start().get("kafka.bootstrap.servers");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(CanopyTopic.all()).hasSize(2 * CanopyTopic.values().length);
            for (TopicSpec spec : CanopyTopic.all()) {
                assertThat(names).contains(spec.name());

                TopicDescription description = admin.describeTopics(List.of(spec.name()))
                        .allTopicNames().get(30, TimeUnit.SECONDS).get(spec.name());
                assertThat(description.partitions()).as(spec.name()).hasSize(spec.partitions());

                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                        .get(resource);
                spec.config().forEach((key, value) ->
                        assertThat(config.get(key).value()).as(spec.name() + " " + key).isEqualTo(value));
            }
        }
    }

    @Test
    void secondStartInTheSameJvmReusesTheBroker() {
        String first = TestKafka.bootstrapServers();
        String second = new KafkaBrokerResource().start().get("kafka.bootstrap.servers");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void topicCreationIsIdempotent() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();

        CanopyTopicAdmin.createAll(bootstrap);
        CanopyTopicAdmin.createAll(bootstrap);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(names).filteredOn(name -> name.startsWith("canopy."))
                    .hasSize(CanopyTopic.all().size());
        }
    }

    @Test
    void anUnreachableBrokerFailsFastWithAMessageNamingItsSource() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> TestKafka.requireReachable("127.0.0.1:1", "the broker named by KAFKA_BOOTSTRAP_SERVERS"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka is not reachable at 127.0.0.1:1")
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }
}
