package dev.canopy.tagsync.messaging;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.canopy.tagsync.repository.ViewPositionRepository;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Starts each view channel on a newly assigned partition where the view's database says it stopped, not where the
 * consumer group last committed. The group's offset may lag the view (offset commits are throttled) or, for a record
 * being dead-lettered, run ahead of it; and a new or emptied database rebuilds its views from the beginning of the
 * topics whatever the group committed.
 */
@ApplicationScoped
@Unremovable
@Identifier(ViewPositionSeeker.NAME)
public class ViewPositionSeeker implements KafkaConsumerRebalanceListener {

    public static final String NAME = "view-positions";
    private static final Logger LOG = Logger.getLogger(ViewPositionSeeker.class);

    private final ViewPositionRepository positions;

    public ViewPositionSeeker(ViewPositionRepository positions) {
        this.positions = positions;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        Map<String, Map<Integer, Long>> known = topics.stream()
                .collect(Collectors.toMap(topic -> topic, positions::positions));
        Map<TopicPartition, Object> from = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        for (TopicPartition partition : partitions) {
            Long next = known.get(partition.topic()).get(partition.partition());
            if (next != null) {
                consumer.seek(partition, next);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            from.put(partition, next != null ? next : "beginning");
        }
        LOG.infof("view partitions assigned, reading from %s", from);
    }
}
