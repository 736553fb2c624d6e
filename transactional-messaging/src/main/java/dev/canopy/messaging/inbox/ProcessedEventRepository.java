package dev.canopy.messaging.inbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Event ids already handled; written in the same transaction as the event's effects (idempotent consumers). */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, UUID> {

    /** @return {@code true} if the event is new (and is now recorded), {@code false} for a redelivery */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markProcessed(UUID eventId, String topic) {
        if (findById(eventId) != null) {
            return false;
        }
        ProcessedEvent row = new ProcessedEvent();
        row.eventId = eventId;
        row.topic = topic;
        row.processedAt = Instant.now();
        persist(row);
        return true;
    }
}
