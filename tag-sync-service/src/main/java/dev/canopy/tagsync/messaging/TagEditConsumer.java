package dev.canopy.tagsync.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.TagEditRequested;
import dev.canopy.messaging.inbox.EventRecords;
import dev.canopy.tagsync.service.EditProcessor;
import dev.canopy.tagsync.service.ShutdownSignal;
import dev.canopy.tagsync.service.StoppingException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Kafka edge of the writer: one requested edit at a time per channel copy, so one resource's edits (one key, one
 * partition) are applied in order. A record that is not a TagEditRequested goes to canopy.tag-edits.dlq, as does an
 * edit processing cannot get through (a passing outage is retried until it is over, so that means bad data or a bug)
 * once it has been recorded as FAILED. While the application stops, a failing edit is left unacknowledged instead.
 */
@ApplicationScoped
public class TagEditConsumer {

    private static final Logger LOG = Logger.getLogger(TagEditConsumer.class);

    private final EditProcessor processor;
    private final ShutdownSignal shutdown;

    public TagEditConsumer(EditProcessor processor, ShutdownSignal shutdown) {
        this.processor = processor;
        this.shutdown = shutdown;
    }

    /** @return completes once the record is acknowledged, or dead-lettered; fails when left for redelivery */
    @Incoming("edits-in")
    @Blocking(ordered = true)
    public CompletionStage<Void> onEdit(KafkaRecord<String, byte[]> record) {
        TagEditRequested requested;
        try {
            CanopyEvent event = EventRecords.decode(record.getPayload(), record.getHeaders());
            if (!(event instanceof TagEditRequested edit)) {
                throw new IllegalArgumentException("unexpected event type " + event.type() + " on canopy.tag-edits");
            }
            requested = edit;
        } catch (RuntimeException e) {
            return record.nack(e);
        }
        try {
            processor.process(requested);
        } catch (RuntimeException e) {
            if (shutdown.stopping()) {
                // The failure may be the application closing under the edit (its connection pool, its producers):
                // not acknowledged, the record is redelivered after the restart rather than dead-lettered.
                LOG.infof("edit %s left for redelivery: the application is stopping (%s)", requested.editId(),
                        e.getMessage());
                return CompletableFuture.failedFuture(e);
            }
            try {
                processor.giveUp(requested, e);
            } catch (StoppingException stop) {
                return CompletableFuture.failedFuture(stop); // the stop began in between
            }
            return record.nack(e);
        }
        return record.ack();
    }
}
