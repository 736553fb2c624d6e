package dev.canopy.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.world.CostEntry;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.ResourceGroup;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.ResourceDeleted;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.SpendLine;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Collection runs: complete first run, nothing on an unchanged second run, tag edits and deletions, id casing. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class CollectionRunTest extends CollectorTestBase {

    @Test
    void theFirstRunPublishesEveryGroupAndResourceWithItsTagsAndAnUnchangedSecondRunPublishesNothing() {
        onboard(generate(1, 3, 17), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);

        CollectionRunProgress first = awaitRun(sub, 1);
        assertThat(first.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        Set<String> expected = worldKeys(sub);
        assertThat(resourceSnapshots(first.runId())).extracting(ResourceSnapshot::resourceId)
                .containsExactlyInAnyOrderElementsOf(expected);
        Map<String, Map<String, String>> tags = tagSnapshots(first.runId()).stream()
                .collect(Collectors.toMap(TagSnapshot::resourceId, TagSnapshot::tags));
        assertThat(tags.keySet()).containsExactlyInAnyOrderElementsOf(tagKeys(sub));
        assertThat(tags.get("/subscriptions/" + sub)).isEqualTo(azure.world().subscription(sub).orElseThrow().tags());
        for (ResourceGroup group : azure.world().resourceGroups(sub)) {
            // A group that never had tags has none in ARM (the field is absent): its TagSnapshot says so with an empty set.
            assertThat(tags.get(ArmResourceId.parse(group.id()).key())).isEqualTo(group.tags() == null ? Map.of() : group.tags());
        }
        for (Resource resource : azure.world().resources(sub)) {
            assertThat(tags.get(ArmResourceId.parse(resource.id()).key())).isEqualTo(resource.tags());
        }
        assertThat(resourceSnapshots(first.runId())).filteredOn(s -> s.kind() == ResourceSnapshot.Kind.RESOURCE_GROUP)
                .hasSize(azure.world().resourceGroups(sub).size());

        requestRun(sub);
        CollectionRunProgress second = awaitRun(sub, 2);
        assertThat(second.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(second.resourcesSeen()).isEqualTo(expected.size());
        assertThat(resourceSnapshots(second.runId())).isEmpty();
        assertThat(tagSnapshots(second.runId())).isEmpty();
        assertThat(spendSnapshots(second.runId())).isEmpty();
        assertThat(tombstones(CanopyTopic.RESOURCES, sub)).isEmpty();
    }

    @Test
    void aPortalTagEditGivesOneTagSnapshotAndADeletionATombstone() {
        onboard(generate(1, 2, 12), SyncPolicy.READ_TAGS_ONLY);
        String sub = subscriptionIds.get(0);
        CollectionRunProgress first = awaitRun(sub, 1);
        assertThat(first.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);

        Resource edited = azure.world().resources(sub).get(0);
        Resource deleted = azure.world().resources(sub).get(1);
        azure.world().updateTags(ArmResourceId.parse(edited.id()), t -> Map.of("env", "edited-in-portal"));
        azure.world().deleteResource(deleted.id());
        requestRun(sub);
        CollectionRunProgress second = awaitRun(sub, 2);

        assertThat(second.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(tagSnapshots(second.runId())).singleElement().satisfies(t -> {
            assertThat(t.resourceId()).isEqualTo(ArmResourceId.parse(edited.id()).key());
            assertThat(t.tags()).isEqualTo(Map.of("env", "edited-in-portal"));
        });
        assertThat(resourceSnapshots(second.runId())).isEmpty();
        String deletedKey = ArmResourceId.parse(deleted.id()).key();
        assertThat(tombstones(CanopyTopic.RESOURCES, sub)).containsExactly(deletedKey);
        assertThat(tombstones(CanopyTopic.TAGS, sub)).containsExactly(deletedKey);
        // A ResourceDeleted (why) comes right before the tombstone (the deletion), under the same key.
        List<ReceivedRecord> forDeleted = kafka.readAll(CanopyTopic.RESOURCES.topicName(), READ_TIMEOUT).stream()
                .filter(r -> r.key().equals(deletedKey)).toList();
        ReceivedRecord tombstone = forDeleted.get(forDeleted.size() - 1);
        ReceivedRecord deletion = forDeleted.get(forDeleted.size() - 2);
        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.headers()).containsEntry("canopy-deletion-reason", "VANISHED");
        assertThat(deletion.event(ResourceDeleted.class)).satisfies(d -> {
            assertThat(d.reason()).isEqualTo(ResourceDeleted.Reason.VANISHED);
            assertThat(d.collectionRunId()).isEqualTo(second.runId());
            assertThat(d.displayId()).isEqualToIgnoringCase(deleted.id());
        });
    }

    @Test
    void resourceIdsWhoseCasingDiffersBetweenInventoryAndCostStayOneResource() {
        WorldSpec spec = generate(1, 1, 3);
        Resource resource = spec.resources().get(0);
        // The cost data spells the resource's id in capitals; ARM lists it in its own mixed case.
        String costSpelling = resource.id().toUpperCase(Locale.ROOT);
        assertThat(costSpelling).as("the two spellings differ").isNotEqualTo(resource.id());
        List<CostEntry> costs = spec.costs().stream().map(c -> !resource.id().equals(c.resourceId()) ? c
                : new CostEntry(c.date(), c.subscriptionId(), c.resourceGroup(), costSpelling, c.resourceType(),
                        c.location(), c.serviceName(), c.meterCategory(), c.chargeType(), c.pricingModel(),
                        c.costType(), c.cost(), c.currency(), c.tags())).toList();
        onboard(withCosts(spec, costs), SyncPolicy.READ_WRITE_TAGS);
        CollectionRunProgress run = awaitRun(subscriptionIds.get(0), 1);

        List<ResourceSnapshot> snapshots = resourceSnapshots(run.runId()).stream()
                .filter(r -> r.displayId().equalsIgnoreCase(resource.id())).toList();
        List<SpendLine> lines = spendSnapshots(run.runId()).stream().flatMap(s -> s.lines().stream())
                .filter(l -> l.displayResourceId() != null && l.displayResourceId().equalsIgnoreCase(resource.id()))
                .toList();
        assertThat(snapshots).singleElement().satisfies(r -> assertThat(r.displayId()).isEqualTo(resource.id()));
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.displayResourceId()).isNotEqualTo(resource.id()));
        // One resource: the inventory's snapshot and every spend line of it carry the same normalized id.
        assertThat(lines.stream().map(SpendLine::resourceId).collect(Collectors.toSet()))
                .containsExactly(snapshots.get(0).resourceId());
    }
}
