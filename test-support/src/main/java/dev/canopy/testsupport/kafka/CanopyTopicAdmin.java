package dev.canopy.testsupport.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.TopicSpec;

/** Creates every topic Canopy declares in {@code events}, with its partitions and cleanup policy, and its DLQ. */
public final class CanopyTopicAdmin {

    private static final short ONE_REPLICA = 1;

    private CanopyTopicAdmin() {
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public static void createAll(String bootstrapServers) {
        List<NewTopic> topics = new ArrayList<>();
        for (TopicSpec spec : CanopyTopic.all()) {
            topics.add(new NewTopic(spec.name(), spec.partitions(), ONE_REPLICA).configs(spec.config()));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    created.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + name + " on "
                                + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("creating topic " + name + " on " + bootstrapServers
                            + " took longer than 30 s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                }
            });
        }
    }
}
