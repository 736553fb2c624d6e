package dev.canopy.collector;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.arm.Rbac;
import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import io.restassured.path.json.JsonPath;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Throttling, partial runs, lost access and missing cost access. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ResilienceTest extends CollectorTestBase {

    @Test
    void withAzuresLimitsOnInSmallBucketsARunIsCompleteAndNo429SurfacesAsAFailure() {
        // Buckets far smaller than the run needs: it must wait, not fail.
        azure.limits().configure(new LimitSettings(true, 6, 4, 200, 10, 200, 10, 12, 60, 600, 4));
        onboard(generate(1, 3, 60), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        CollectionRunProgress run = awaitRun(sub, 1);

        assertThat(run.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(resourceSnapshots(run.runId())).extracting(ResourceSnapshot::resourceId)
                .containsExactlyInAnyOrderElementsOf(worldKeys(sub));
        assertThat(spendSnapshots(run.runId())).isNotEmpty();
        // The limit was binding: the run needed more ARM reads than the bucket holds, so it had to wait for refills
        // (the collector paces itself once the remaining reads run low, so it may never see a 429 at all). With a
        // burst of 6 and 4 reads a second, n reads answered take at least (n - 6) / 4 s from the first to the last.
        List<RequestLog.Entry> reads = azure.requestLog().entries().stream().filter(e -> e.method().equals("GET"))
                .filter(e -> e.target().toLowerCase().startsWith("/subscriptions/" + sub))
                .filter(e -> e.status() == 200).toList();
        assertThat(reads).as("ARM reads of the run").hasSizeGreaterThan(10);
        Duration span = Duration.between(reads.get(0).received(), reads.get(reads.size() - 1).received());
        assertThat(span).as("time the %d reads took", reads.size())
                .isGreaterThanOrEqualTo(Duration.ofMillis((reads.size() - 6) * 250L * 9 / 10));
    }

    @Test
    void a5xxOnPage3BeyondRetriesMakesThePartialRunPublishNoDeletions() {
        // Ten groups at five per page: pages 1 and 2 are resource groups, page 3 is the first page of resources.
        onboard(generate(1, 10, 12), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        assertThat(awaitRun(sub, 1).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);

        Resource deleted = azure.world().resources(sub).get(0);
        azure.world().deleteResource(deleted.id());
        azure.faults().add(new FaultRule("arm.resources.list", 1.0, 500, 0, 0, null));
        requestRun(sub);
        CollectionRunProgress partial = awaitRun(sub, 2);

        assertThat(partial.phase()).isEqualTo(CollectionRunProgress.Phase.PARTIAL);
        assertThat(partial.pagesDone()).isEqualTo(2);
        assertThat(partial.reason()).contains("500");
        assertThat(tombstones(CanopyTopic.RESOURCES, sub)).isEmpty();
        assertThat(tombstones(CanopyTopic.TAGS, sub)).isEmpty();

        // Once ARM answers again, the next complete run does tombstone what vanished.
        azure.faults().clear();
        requestRun(sub);
        assertThat(awaitRun(sub, 3).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(tombstones(CanopyTopic.RESOURCES, sub)).containsExactly(ArmResourceId.parse(deleted.id()).key());
    }

    @Test
    void withoutCostAccessResourcesAreCollectedAndSpendIsUnavailableWithTheReason() {
        world = generate(1, 2, 6);
        String sub = world.subscriptions().get(0).subscriptionId();
        List<RoleAssignment> assignments = new ArrayList<>(world.roleAssignments());
        assignments.removeIf(a -> a.scope().equalsIgnoreCase("/subscriptions/" + sub)
                && a.roleDefinitionId().endsWith(Rbac.COST_MANAGEMENT_READER) && "ServicePrincipal".equals(a.principalType()));
        onboard(withRoleAssignments(world, assignments), SyncPolicy.READ_WRITE_TAGS);

        CollectionRunProgress run = awaitRun(sub, 1);
        assertThat(run.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(resourceSnapshots(run.runId())).hasSize(worldKeys(sub).size());
        assertThat(spendSnapshots(run.runId())).isEmpty();
        Map<String, Object> status = statusOf(sub);
        assertThat(status).containsEntry("spendState", "UNAVAILABLE");
        assertThat((String) status.get("spendReason")).contains("403");
    }

    @Test
    void canopysRolesRemovedIsAccessLostAndNothingIsTombstoned() {
        onboard(generate(1, 1, 4), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        assertThat(awaitRun(sub, 1).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        List<RoleAssignment> assignments = new ArrayList<>(world.roleAssignments());
        assignments.removeIf(a -> a.scope().toLowerCase().startsWith("/subscriptions/" + sub)
                && "ServicePrincipal".equals(a.principalType()));
        changeWorld(w -> withRoleAssignments(w, assignments));

        requestRun(sub);
        CollectionRunProgress second = awaitRun(sub, 2);

        assertThat(second.phase()).isEqualTo(CollectionRunProgress.Phase.ACCESS_LOST);
        assertThat(second.reason()).contains("403");
        assertThat(tombstones(CanopyTopic.RESOURCES, sub)).isEmpty();
        assertThat(tombstones(CanopyTopic.TAGS, sub)).isEmpty();
    }

    @Test
    void anOffboardingDuringTheSpendPhaseLeavesNoLiveSpendOnTheCompactedTopic() {
        // Slow Cost Management answers keep the run in its spend phase long enough to offboard in the middle of it.
        azure.faults().add(new FaultRule("arm.costmanagement.query", 0, 500, 3000, 0, null));
        onboard(generate(1, 1, 3), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        // One page of groups and one of resources (page size 5): after the second page the run is collecting spend.
        kafka.awaitRecord(CanopyTopic.COLLECTION_RUNS.topicName(), r -> sub.equals(r.key())
                && r.event(CollectionRunProgress.class).phase() == CollectionRunProgress.Phase.PAGE_DONE
                && r.event(CollectionRunProgress.class).pagesDone() == 2, RUN_TIMEOUT);
        kafka.publish(new dev.canopy.events.TenantOffboarded(java.util.UUID.randomUUID(), java.time.Instant.now(),
                tenantId, subscriptionIds, "test"));
        awaitRun(sub, 1);

        // Every spend key of the subscription ends in a tombstone on the compacted topic: nothing stays live.
        org.awaitility.Awaitility.await().atMost(READ_TIMEOUT).untilAsserted(() -> {
            Map<String, Boolean> liveByKey = new java.util.HashMap<>();
            kafka.readAll(CanopyTopic.SPEND.topicName(), READ_TIMEOUT).stream()
                    .filter(r -> r.key().startsWith(sub + "/"))
                    .forEach(r -> liveByKey.put(r.key(), !r.isTombstone()));
            assertThat(liveByKey).doesNotContainValue(true);
        });
        tenantId = null; // offboarded already
    }

    @Test
    void aNoContentAnswerFromCostManagementKeepsTheSpendPublishedBefore() {
        onboard(generate(1, 1, 4), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        CollectionRunProgress first = awaitRun(sub, 1);
        assertThat(spendSnapshots(first.runId())).isNotEmpty();
        azure.faults().add(new FaultRule("arm.costmanagement.query", 1.0, 204, 0, 0, null));

        requestRun(sub);
        CollectionRunProgress second = awaitRun(sub, 2);

        assertThat(second.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        assertThat(spendSnapshots(second.runId())).as("empty days published over the earlier ones").isEmpty();
        assertThat(statusOf(sub)).containsEntry("spendState", "PARTIAL");
        assertThat((String) statusOf(sub).get("spendReason")).contains("204");
    }

    @Test
    void aDisabledSubscriptionAmongSeveralIsSkippedWithAVisibleStateAndTheOthersAreCollected() {
        world = generate(3, 1, 4);
        List<Subscription> subs = new ArrayList<>(world.subscriptions());
        Subscription s = subs.get(1);
        subs.set(1, new Subscription(s.subscriptionId(), s.tenantId(), s.displayName(), "Disabled", s.tags(),
                s.quotaId(), s.spendingLimit()));
        onboard(withSubscriptions(world, subs), SyncPolicy.READ_WRITE_TAGS);

        for (int i = 0; i < 3; i++) {
            String sub = subscriptionIds.get(i);
            CollectionRunProgress run = awaitRun(sub, 1);
            if (i == 1) {
                assertThat(run.phase()).isEqualTo(CollectionRunProgress.Phase.ACCESS_LOST);
                assertThat(run.reason()).contains("Disabled");
                assertThat(statusOf(sub)).containsEntry("state", "ACCESS_LOST");
            } else {
                assertThat(run.phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
                assertThat(resourceSnapshots(run.runId())).hasSize(worldKeys(sub).size());
            }
        }
    }

    private Map<String, Object> statusOf(String subscriptionId) {
        JsonPath body = given().auth().oauth2(opsToken()).when().get("/collections").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> all = body.getList("$");
        return all.stream().filter(m -> subscriptionId.equals(m.get("subscriptionId"))).findFirst().orElseThrow();
    }
}
