package dev.canopy.cost.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.canopy.cost.ingest.RecordIngestor;
import dev.canopy.cost.ingest.ResourceInventory;
import dev.canopy.cost.ingest.SpendLedger;
import dev.canopy.cost.ingest.TagInventory;
import dev.canopy.cost.ingest.TopicApplier;
import dev.canopy.cost.ingest.TopicRecord;
import dev.canopy.events.CanopyEvent;
import dev.canopy.messaging.inbox.EventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Kafka edge of cost-service: canopy.spend, canopy.resources and canopy.tags, one record at a time per channel, in
 * partition order, handed to {@link RecordIngestor}. A record that is not an event of its topic under its own key
 * throws, and the channel's dead-letter-queue strategy moves it to {@code <topic>.dlq} with the reason; the channel
 * then goes on with the next record.
 */
@ApplicationScoped
public class CostTopicConsumer {

    private final RecordIngestor ingestor;
    private final SpendLedger spend;
    private final ResourceInventory resources;
    private final TagInventory tags;

    public CostTopicConsumer(RecordIngestor ingestor, SpendLedger spend, ResourceInventory resources,
            TagInventory tags) {
        this.ingestor = ingestor;
        this.spend = spend;
        this.resources = resources;
        this.tags = tags;
    }

    @Incoming("spend-in")
    @Blocking(ordered = true)
    public void onSpend(ConsumerRecord<String, byte[]> record) {
        ingest(record, spend);
    }

    @Incoming("resources-in")
    @Blocking(ordered = true)
    public void onResource(ConsumerRecord<String, byte[]> record) {
        ingest(record, resources);
    }

    @Incoming("tags-in")
    @Blocking(ordered = true)
    public void onTags(ConsumerRecord<String, byte[]> record) {
        ingest(record, tags);
    }

    private void ingest(ConsumerRecord<String, byte[]> record, TopicApplier applier) {
        CanopyEvent event = record.value() == null ? null : decode(record, applier);
        ingestor.apply(applier, new TopicRecord(record.topic(), record.partition(), record.offset(), record.key(),
                event));
    }

    private static CanopyEvent decode(ConsumerRecord<String, byte[]> record, TopicApplier applier) {
        CanopyEvent event = EventRecords.decode(record);
        if (event.type().topic() != applier.topic()) {
            throw applier.unexpected(event);
        }
        // On a compacted topic the key decides what a later record or tombstone replaces: a mismatch would corrupt it.
        if (!event.kafkaKey().equals(record.key())) {
            throw new IllegalArgumentException("record key '" + record.key() + "' is not the event's key '"
                    + event.kafkaKey() + "'");
        }
        return event;
    }
}
