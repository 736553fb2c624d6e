package dev.canopy.collector.messaging;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * The canopy.tenants partitions this instance owns in the collector's consumer group. The instance collects exactly
 * the subscriptions of tenants on those partitions, so several instances split the work without any lock of ours.
 */
@ApplicationScoped
@Default
@Identifier(RegistryPartitions.NAME)
public class RegistryPartitions implements KafkaConsumerRebalanceListener {

    public static final String NAME = "registry-partitions";
    private static final Logger LOG = Logger.getLogger(RegistryPartitions.class);

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> owned.add(p.partition()));
        LOG.infof("registry partitions assigned %s; owning %s", partitions, owned);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(p -> owned.remove(p.partition()));
        LOG.infof("registry partitions revoked %s; owning %s", partitions, owned);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    /** The partitions owned right now. */
    public Set<Integer> owned() {
        return Set.copyOf(owned);
    }
}
