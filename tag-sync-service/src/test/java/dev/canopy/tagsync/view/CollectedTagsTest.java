package dev.canopy.tagsync.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.canopy.events.TagSnapshot;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.json.EventJson;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.events.topic.CloudEventHeaders;
import dev.canopy.events.topic.EventType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The collected tags: Azure's order, newer over older, tombstones, the CDI event, redelivery, poison. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class CollectedTagsTest extends ViewTestBase {

    private static final String TOPIC = CanopyTopic.TAGS.topicName();
    // Truncated: PostgreSQL keeps an Instant to the microsecond, and the test compares what it reads back.
    private static final Instant OBSERVED = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Inject
    CollectedTags tags;

    @Inject
    RecordedTagSnapshots recorded;

    private final String tenant = newId();
    private final String subscription = newId();

    @Test
    void aSnapshotIsKeptInAzuresOrderAndObservedInsideItsTransaction() {
        String displayId = resource("Orders");
        Map<String, String> azureOrder = new LinkedHashMap<>();
        azureOrder.put("zeta", "1");
        azureOrder.put("Alpha", "two words");
        azureOrder.put("cost-center", "");
        TagSnapshot snapshot = snapshot(displayId, azureOrder, OBSERVED);

        awaitPast(kafka.publish(snapshot));

        CollectedTagSet expected = new CollectedTagSet(snapshot.resourceId(), displayId, subscription, tenant,
                azureOrder, OBSERVED);
        CollectedTagSet stored = tags.tagsOf(displayId.toUpperCase()).orElseThrow();
        assertThat(stored).isEqualTo(expected);
        assertThat(stored.tags().keySet()).containsExactly("zeta", "Alpha", "cost-center");
        assertThat(recorded.of(snapshot.resourceId())).singleElement().satisfies(observed -> {
            assertThat(observed.applied()).isEqualTo(new TagSnapshotApplied(null, expected));
            assertThat(observed.inTransaction()).isTrue();
            // Not committed yet, and visible: the observer ran in the transaction that stored it.
            assertThat(observed.visible()).contains(expected);
        });
    }

    @Test
    void aNewerSnapshotReplacesTheStoredOneAndAnOlderOrRedeliveredOneChangesNothing() {
        String displayId = resource("Cart");
        TagSnapshot first = snapshot(displayId, Map.of("env", "test"), OBSERVED);
        TagSnapshot newer = snapshot(displayId, Map.of("env", "prod"), OBSERVED.plusSeconds(60));
        kafka.publish(first);
        awaitPast(kafka.publish(newer));

        CollectedTagSet newerSet = tags.tagsOf(displayId).orElseThrow();
        assertThat(newerSet.tags()).containsExactly(Map.entry("env", "prod"));
        assertThat(recorded.of(newer.resourceId())).extracting(RecordedTagSnapshots.Observed::applied)
                .last().isEqualTo(new TagSnapshotApplied(tags(first), newerSet));

        // Published later, observed earlier (another collector instance, say): it must not win.
        kafka.publish(snapshot(displayId, Map.of("env", "stale"), OBSERVED.plusSeconds(30)));
        awaitPast(kafka.publish(newer)); // and a redelivery of what is stored

        assertThat(tags.tagsOf(displayId)).contains(newerSet);
        assertThat(recorded.of(newer.resourceId())).hasSize(2);
    }

    @Test
    void aTombstoneRemovesTheTags() {
        String displayId = resource("Gone");
        TagSnapshot snapshot = snapshot(displayId, Map.of("env", "prod"), OBSERVED);
        kafka.publish(snapshot);

        awaitPast(kafka.publishRaw(TOPIC, snapshot.resourceId(), null, Map.of("canopy-deletion-reason", "VANISHED")));

        assertThat(tags.tagsOf(displayId)).isEmpty();
    }

    @Test
    void poisonTagRecordsAreDeadLetteredAndTheNextSnapshotIsApplied() {
        String displayId = resource("Poisoned");
        String key = ArmResourceId.parse(displayId).key();
        RecordMetadata unreadable = kafka.publishRaw(TOPIC, key, NOT_JSON, headersOf(EventType.TAG_SNAPSHOT));
        String otherId = resource("Other");
        TagSnapshot other = snapshot(otherId, Map.of(), OBSERVED);
        RecordMetadata wrongKey = kafka.publishRaw(TOPIC, key, EventJson.write(other),
                headersOf(EventType.TAG_SNAPSHOT));

        awaitDeadLettered(CanopyTopic.TAGS, key, unreadable);
        assertThat(kafka.awaitRecords(CanopyTopic.TAGS.dlqName(), r -> key.equals(r.key()), 2, TIMEOUT))
                .extracting(r -> r.headers().get(CloudEventHeaders.DLQ_REASON))
                .anySatisfy(reason -> assertThat(reason).contains("is not the event's key"));
        awaitPast(wrongKey);
        assertThat(tags.tagsOf(otherId)).isEmpty();

        awaitPast(kafka.publish(snapshot(displayId, Map.of("env", "prod"), OBSERVED)));
        assertThat(tags.tagsOf(displayId)).map(CollectedTagSet::tags).contains(Map.of("env", "prod"));
    }

    private String resource(String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/Shop/providers/Microsoft.Storage/storageAccounts/"
                + name + UUID.randomUUID().toString().substring(0, 8);
    }

    private TagSnapshot snapshot(String displayId, Map<String, String> tagMap, Instant observedAt) {
        return new TagSnapshot(UUID.randomUUID(), Instant.now(), tenant, subscription,
                ArmResourceId.parse(displayId).key(), displayId, tagMap, "fp-" + tagMap.hashCode(), UUID.randomUUID(),
                observedAt);
    }

    private CollectedTagSet tags(TagSnapshot snapshot) {
        return new CollectedTagSet(snapshot.resourceId(), snapshot.displayId(), subscription, tenant, snapshot.tags(),
                snapshot.observedAt());
    }
}
