package dev.canopy.messaging.inbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Event ids already handled; written in the same transaction as the event's effects (idempotent consumers). */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, UUID> {

    /**
     * @return {@code true} if the event is new (and is now recorded), {@code false} for a redelivery — also when
     *     another consumer (e.g. the partition's previous owner during a rebalance) records it at the same moment:
     *     the insert then waits for that transaction and, if it commits, does nothing, instead of failing on the key
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markProcessed(UUID eventId, String topic) {
        return getEntityManager().createNativeQuery("INSERT INTO processed_event (event_id, topic, processed_at) "
                + "VALUES (?1, ?2, ?3) ON CONFLICT (event_id) DO NOTHING")
                .setParameter(1, eventId).setParameter(2, topic).setParameter(3, Instant.now())
                .executeUpdate() == 1;
    }
}
