package dev.canopy.events.topic;

import dev.canopy.events.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsTest {

    @Test
    void cleanupPoliciesAreTheDesignedOnes() {
        assertThat(Arrays.stream(CanopyTopic.values()).filter(t -> t.cleanupPolicy() == CleanupPolicy.COMPACT)
                .map(CanopyTopic::topicName))
                .containsExactlyInAnyOrder("canopy.subscription-policies", "canopy.resources", "canopy.tags",
                        "canopy.spend", "canopy.spend-daily");
        assertThat(Arrays.stream(CanopyTopic.values()).filter(t -> t.cleanupPolicy() == CleanupPolicy.DELETE)
                .map(CanopyTopic::topicName))
                .containsExactlyInAnyOrder("canopy.tenants", "canopy.collection-runs", "canopy.tag-edits",
                        "canopy.tag-edit-results");
    }

    @Test
    void configMapsAreWhatAdminClientAndStrimziNeed() {
        assertThat(CanopyTopic.TAGS.config()).isEqualTo(Map.of("cleanup.policy", "compact"));
        assertThat(CanopyTopic.TAG_EDITS.config())
                .isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(Duration.ofDays(7).toMillis())));
        assertThat(CanopyTopic.TENANTS.config()).isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
    }

    @Test
    void everyTopicHasADeleteDlqAndAllListsThemOnce() {
        List<TopicSpec> all = CanopyTopic.all();

        assertThat(CanopyTopic.SPEND.dlqName()).isEqualTo("canopy.spend.dlq");
        assertThat(CanopyTopic.SPEND.dlq().cleanupPolicy()).isEqualTo(CleanupPolicy.DELETE);
        assertThat(all).hasSize(2 * CanopyTopic.values().length);
        assertThat(all.stream().map(TopicSpec::name)).doesNotHaveDuplicates()
                .contains("canopy.tag-edits", "canopy.tag-edits.dlq");
        assertThat(all).allSatisfy(spec -> assertThat(spec.partitions()).isIn(3, 6));
    }

    @Test
    void aCompactedTopicCannotHaveARetention() {
        assertThatThrownBy(() -> new TopicSpec("x", 3, CleanupPolicy.COMPACT, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CanopyTopic.fromTopicName("canopy.spend-daily")).isEqualTo(CanopyTopic.SPEND_DAILY);
        assertThatThrownBy(() -> CanopyTopic.fromTopicName("canopy.nope")).hasMessageContaining("canopy.nope");
    }

    @Test
    void eventTypesLookUpByNameAndClassAndNameTheirTopic() {
        assertThat(EventType.fromTypeName("canopy.tenant.subscriptions-added")).isEqualTo(EventType.SUBSCRIPTIONS_ADDED);
        assertThat(EventType.of(dev.canopy.events.SpendSnapshot.class).topic()).isEqualTo(CanopyTopic.SPEND);
        assertThat(EventType.TAG_EDIT_OUTCOME.topic()).isEqualTo(CanopyTopic.TAG_EDIT_RESULTS);
        assertThat(Arrays.stream(EventType.values()).map(EventType::typeName)).doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("canopy."));
        assertThat(EventType.find("canopy.unknown")).isEmpty();
        assertThatThrownBy(() -> EventType.fromTypeName("canopy.tag.snapshots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown Canopy event type 'canopy.tag.snapshots'")
                .hasMessageContaining("canopy.tag.snapshot");
        assertThatThrownBy(() -> EventType.of(String.class)).hasMessageContaining("java.lang.String");
    }

    @Test
    void binaryModeHeadersCarryTheEnvelope() {
        var event = SampleEvents.of(EventType.TAG_SNAPSHOT);

        Map<String, String> headers = CloudEventHeaders.binaryHeaders(event, "/canopy/collector-service");

        assertThat(headers).containsExactly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", event.eventId().toString()),
                Map.entry("ce_type", "canopy.tag.snapshot"),
                Map.entry("ce_source", "/canopy/collector-service"),
                Map.entry("ce_time", "2023-09-04T06:15:30.123Z"),
                Map.entry("ce_subject", SampleEvents.RESOURCE_KEY),
                Map.entry("content-type", "application/json"));
        assertThatThrownBy(() -> CloudEventHeaders.binaryHeaders(event, " ")).hasMessageContaining("source");
    }
}
