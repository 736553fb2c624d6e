package dev.canopy.messaging.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CleanupPolicy;

/**
 * Appends events (and tombstones) to the outbox inside the caller's transaction, so they commit or roll back with the
 * change, and has the relay publish them right after the commit.
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
        persist(event.eventId(), event.type().topic(), event.kafkaKey(), event.type().typeName(),
                new String(EventJson.write(event), StandardCharsets.UTF_8));
    }

    /**
     * Adds a tombstone (a record with a null value) under the key of a compacted topic: what the key stood for is
     * gone, and compaction drops its earlier records. Like an event, it leaves only if the caller's transaction
     * commits, in order with the events around it. A tombstone is not an event: it has no type and no event id (the
     * row gets a random one), and is sent without CloudEvents headers but {@code ce_subject}, the key.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendTombstone(CanopyTopic topic, String kafkaKey) {
        if (topic.cleanupPolicy() != CleanupPolicy.COMPACT) {
            throw new IllegalArgumentException("a tombstone only means something on a compacted topic, not on "
                    + topic.topicName());
        }
        persist(UUID.randomUUID(), topic, Objects.requireNonNull(kafkaKey, "a tombstone needs a key"), null, null);
    }

    private void persist(UUID id, CanopyTopic topic, String kafkaKey, String eventType, String payload) {
        nudgeAfterCommit();
        OutboxEvent row = new OutboxEvent();
        row.id = id;
        row.topic = topic.topicName();
        row.kafkaKey = kafkaKey;
        row.eventType = eventType;
        row.payload = payload;
        row.createdAt = Instant.now();
        outbox.persist(row);
    }

    // Once per transaction, however many rows it appends.
    private void nudgeAfterCommit() {
        if (transactions.getResource(NUDGE_REGISTERED) != null) {
            return;
        }
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
}
