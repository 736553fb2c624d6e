package dev.canopy.tagsync.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.TagEditRequested;
import dev.canopy.messaging.inbox.EventRecords;
import dev.canopy.tagsync.service.EditProcessor;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Kafka edge of the writer: one requested edit at a time per channel copy, so one resource's edits (one key, one
 * partition) are applied in order. A record that is not a TagEditRequested goes to canopy.tag-edits.dlq.
 */
@ApplicationScoped
public class TagEditConsumer {

    private final EditProcessor processor;

    public TagEditConsumer(EditProcessor processor) {
        this.processor = processor;
    }

    @Incoming("edits-in")
    @Blocking(ordered = true)
    public void onEdit(ConsumerRecord<String, byte[]> record) {
        CanopyEvent event = EventRecords.decode(record);
        if (!(event instanceof TagEditRequested requested)) {
            throw new IllegalArgumentException("unexpected event type " + event.type() + " on canopy.tag-edits");
        }
        processor.process(requested);
    }
}
