package dev.canopy.messaging.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;

/**
 * Appends events to the outbox inside the caller's transaction, so they commit or roll back with the change, and has
 * the relay publish them right after the commit.
 */
@ApplicationScoped
public class OutboxWriter {

    // Marks a transaction that already asked for a relay run after its commit.
    private static final Object NUDGE_REGISTERED = OutboxWriter.class.getName() + ".nudge";

    private final OutboxEventRepository outbox;
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;

    public OutboxWriter(OutboxEventRepository outbox, OutboxRelay relay, TransactionSynchronizationRegistry transactions) {
        this.outbox = outbox;
        this.relay = relay;
        this.transactions = transactions;
    }

    /**
     * Adds the event; must run in the transaction that makes the change it describes. Once that transaction commits,
     * the relay is nudged to publish at once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(CanopyEvent event) {
        if (transactions.getResource(NUDGE_REGISTERED) == null) {
            transactions.putResource(NUDGE_REGISTERED, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.nudge();
                    }
                }
            });
        }
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
