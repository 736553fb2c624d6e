package dev.canopy.messaging.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One event (or tombstone) waiting in, or already sent from, the outbox; written in the transaction of the change it
 * describes.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    /** The event id, also {@code ce_id}. */
    @Id
    public UUID id;

    // Assigned by the database sequence: the relay's publication order.
    @Column(insertable = false, updatable = false)
    public Long seq;

    public String topic;

    @Column(name = "kafka_key")
    public String kafkaKey;

    /** The CloudEvents type; {@code null} for a tombstone. */
    @Column(name = "event_type")
    public String eventType;

    /** The event's JSON; {@code null} for a tombstone. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** True for a tombstone: a record with a null value that removes its key from a compacted topic. */
    public boolean isTombstone() {
        return payload == null;
    }
}
