package dev.canopy.messaging.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;

/** Appends events to the outbox inside the caller's transaction, so they commit or roll back with the change. */
@ApplicationScoped
public class OutboxWriter {

    private final OutboxEventRepository outbox;

    public OutboxWriter(OutboxEventRepository outbox) {
        this.outbox = outbox;
    }

    /** Adds the event; must run in the transaction that makes the change it describes. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(CanopyEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.id = event.eventId();
        row.topic = event.type().topic().topicName();
        row.kafkaKey = event.kafkaKey();
        row.eventType = event.type().typeName();
        row.payload = new String(EventJson.write(event), StandardCharsets.UTF_8);
        row.createdAt = Instant.now();
        outbox.persist(row);
    }
}
