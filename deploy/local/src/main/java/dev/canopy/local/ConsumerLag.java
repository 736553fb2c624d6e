package dev.canopy.local;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Tells when the services have caught up with Kafka: every consumer group's committed offset has reached its
 * partitions' end (committed records only). The demo reads the APIs only then, so what they answer includes every event
 * published before.
 */
final class ConsumerLag implements AutoCloseable {

    private static final Duration CALL = Duration.ofSeconds(10);

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Waits until no group lags behind; fails naming the groups that still do. */
    void awaitCaughtUp(Duration within) {
        Map<String, Long> last = new HashMap<>();
        try {
            await("consumers caught up").atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.clear();
                last.putAll(lagByGroup());
                return last.values().stream().allMatch(lag -> lag == 0);
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the services did not catch up with Kafka within " + within
                    + "; records behind per consumer group: " + last, e);
        }
    }

    /** Records not yet committed per consumer group (a partition the group never committed counts from 0). */
    Map<String, Long> lagByGroup() throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Long> lag = new TreeMap<>();
        // Committed offsets first, end offsets after: a lag read this way can only be too high, never too low.
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(CALL.toMillis(), TimeUnit.MILLISECONDS)) {
            committed.put(group.groupId(), admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata()
                    .get(CALL.toMillis(), TimeUnit.MILLISECONDS));
        }
        Map<String, List<TopicPartition>> subscribed = new HashMap<>();
        for (String group : committed.keySet()) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
            subscribed.put(group, description.members().stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream()).toList());
        }
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        committed.values().forEach(offsets -> offsets.keySet().forEach(tp -> ends.put(tp, OffsetSpec.latest())));
        subscribed.values().forEach(partitions -> partitions.forEach(tp -> ends.put(tp, OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResultInfo> endOffsets = admin.listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
        for (String group : committed.keySet()) {
            long behind = 0;
            Set<TopicPartition> partitions = new HashSet<>(committed.get(group).keySet());
            partitions.addAll(subscribed.get(group));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata position = committed.get(group).get(tp);
                behind += Math.max(0, endOffsets.get(tp).offset() - (position == null ? 0 : position.offset()));
            }
            lag.put(group, behind);
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
