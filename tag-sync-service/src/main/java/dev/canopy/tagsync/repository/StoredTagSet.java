package dev.canopy.tagsync.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The latest tag snapshot of one resource as stored; {@link CollectedTagsRepository} converts it. */
@Entity
@Table(name = "collected_tag_set")
public class StoredTagSet {

    /** The normalized (lower-case) ARM id, the Kafka key. */
    @Id
    @Column(name = "resource_id")
    public String resourceId;

    @Column(name = "display_id")
    public String displayId;

    @Column(name = "subscription_id")
    public String subscriptionId;

    @Column(name = "tenant_id")
    public String tenantId;

    /** A JSON array of [name, value] pairs, in Azure's order. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String tags;

    @Column(name = "observed_at")
    public Instant observedAt;
}
