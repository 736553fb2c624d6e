package dev.canopy.cost.ingest;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.cost.db.Jdbc;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.ResourceDeleted;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.topic.CanopyTopic;

/**
 * Keeps {@code resource_dim} in step with canopy.resources: the latest snapshot per resource or resource group; a
 * ResourceDeleted or a tombstone removes the row. Spend is never touched: it keeps its own copy of what it needs.
 */
@ApplicationScoped
public class ResourceInventory implements TopicApplier {

    // Two collector instances may publish one resource out of order around a partition move: Azure's time decides.
    private static final String UPSERT = """
            INSERT INTO resource_dim (resource_id, display_id, tenant_id, subscription_id, kind, name, resource_type,
                                      location, resource_group, observed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (resource_id) DO UPDATE SET
                display_id = excluded.display_id, tenant_id = excluded.tenant_id,
                subscription_id = excluded.subscription_id, kind = excluded.kind, name = excluded.name,
                resource_type = excluded.resource_type, location = excluded.location,
                resource_group = excluded.resource_group, observed_at = excluded.observed_at
            WHERE resource_dim.observed_at <= excluded.observed_at""";
    private static final String DELETE = "DELETE FROM resource_dim WHERE resource_id = ?";

    private final Jdbc jdbc;

    public ResourceInventory(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public CanopyTopic topic() {
        return CanopyTopic.RESOURCES;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CanopyEvent event) {
        if (event instanceof ResourceSnapshot snapshot) {
            upsert(snapshot);
        } else if (event instanceof ResourceDeleted deleted) {
            delete(deleted.resourceId());
        } else {
            throw unexpected(event);
        }
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void tombstone(String key) {
        String id = resourceKey(key);
        delete(id);
    }

    private void upsert(ResourceSnapshot s) {
        jdbc.call(c -> {
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                upsert.setString(1, s.resourceId());
                upsert.setString(2, s.displayId());
                upsert.setString(3, s.tenantId());
                upsert.setString(4, s.subscriptionId());
                upsert.setString(5, s.kind().name());
                upsert.setString(6, s.name());
                upsert.setString(7, s.resourceType());
                upsert.setString(8, s.location().toLowerCase(Locale.ROOT));
                upsert.setString(9, s.resourceGroup());
                upsert.setTimestamp(10, Timestamp.from(s.observedAt()));
                return upsert.executeUpdate();
            }
        });
    }

    private void delete(String resourceId) {
        jdbc.call(c -> {
            try (PreparedStatement delete = c.prepareStatement(DELETE)) {
                delete.setString(1, resourceId);
                return delete.executeUpdate();
            }
        });
    }
}
