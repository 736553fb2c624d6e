package dev.canopy.cost.ingest;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.canopy.cost.db.Jdbc;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.topic.CanopyTopic;

/**
 * Keeps {@code tag_set} and {@code tag_entry} in step with canopy.tags: the current tags of every resource, resource
 * group and subscription, in Azure's order and spelling, with a lower-cased name beside each for case-insensitive
 * grouping; a tombstone removes the set.
 */
@ApplicationScoped
public class TagInventory implements TopicApplier {

    // As for resources, the snapshot Azure returned last wins, whatever the order it arrives in.
    private static final String UPSERT_SET = """
            INSERT INTO tag_set (resource_id, display_id, tenant_id, subscription_id, observed_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (resource_id) DO UPDATE SET
                display_id = excluded.display_id, tenant_id = excluded.tenant_id,
                subscription_id = excluded.subscription_id, observed_at = excluded.observed_at
            WHERE tag_set.observed_at <= excluded.observed_at""";
    private static final String DELETE_ENTRIES = "DELETE FROM tag_entry WHERE resource_id = ?";
    private static final String INSERT_ENTRY =
            "INSERT INTO tag_entry (resource_id, position, name, name_key, value) VALUES (?, ?, ?, ?, ?)";
    private static final String DELETE_SET = "DELETE FROM tag_set WHERE resource_id = ?";

    private final Jdbc jdbc;

    public TagInventory(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public CanopyTopic topic() {
        return CanopyTopic.TAGS;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CanopyEvent event) {
        if (!(event instanceof TagSnapshot snapshot)) {
            throw unexpected(event);
        }
        jdbc.call(c -> {
            try (PreparedStatement upsert = c.prepareStatement(UPSERT_SET)) {
                upsert.setString(1, snapshot.resourceId());
                upsert.setString(2, snapshot.displayId());
                upsert.setString(3, snapshot.tenantId());
                upsert.setString(4, snapshot.subscriptionId());
                upsert.setTimestamp(5, Timestamp.from(snapshot.observedAt()));
                if (upsert.executeUpdate() == 0) {
                    return null; // observed before the stored set
                }
            }
            try (PreparedStatement delete = c.prepareStatement(DELETE_ENTRIES)) {
                delete.setString(1, snapshot.resourceId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT_ENTRY)) {
                int position = 0;
                for (Map.Entry<String, String> tag : snapshot.tags().entrySet()) {
                    insert.setString(1, snapshot.resourceId());
                    insert.setInt(2, position++);
                    insert.setString(3, tag.getKey());
                    insert.setString(4, tag.getKey().toLowerCase(Locale.ROOT));
                    insert.setString(5, tag.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void tombstone(String key) {
        String id = resourceKey(key);
        jdbc.call(c -> {
            try (PreparedStatement delete = c.prepareStatement(DELETE_SET)) {
                delete.setString(1, id);
                return delete.executeUpdate(); // the entries go with the set (ON DELETE CASCADE)
            }
        });
    }
}
