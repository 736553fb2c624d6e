package dev.canopy.messaging.outbox;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Reads and locks the outbox. */
@ApplicationScoped
public class OutboxEventRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    /**
     * The unpublished rows in publication order, locked for this transaction: a second relay (another instance, or
     * a PUT flushing its own event) waits here instead of sending the same rows out of order.
     */
    public List<OutboxEvent> lockUnpublished(int limit) {
        return find("publishedAt is null order by seq").withLock(LockModeType.PESSIMISTIC_WRITE).page(0, limit).list();
    }
}
