package dev.canopy.tagsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.events.OnboardedSubscription;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.TagEditRequested;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Edits through the API to their outcomes in Azure (the emulator) and on canopy.tag-edit-results. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class TagEditFlowTest extends TagSyncTestBase {

    @Test
    void aMergeIsWrittenAndKeepsATagSomeoneAddedInAzureAfterTheLastCollection() {
        generate(1, 3);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        collected(vm, azureTags(vm), Instant.now());
        setInPortal(vm, with(azureTags(vm), "addedInPortal", "yes"));

        UUID editId = edit(vm, "merge", Map.of("costCenter", "cc-42"));

        TagEditOutcome outcome = awaitOutcome(editId);
        assertThat(outcome.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(outcome.policySeen()).isEqualTo(SyncPolicy.READ_WRITE_TAGS);
        assertThat(azureTags(vm)).containsEntry("addedInPortal", "yes").containsEntry("costCenter", "cc-42");
        assertThat(outcome.azureTags()).isEqualTo(azureTags(vm));
        assertThat(tagWritesTo(vm)).hasSize(1).allSatisfy(w -> assertThat(w.method()).isEqualTo("PATCH"));
        given().auth().oauth2(viewerToken()).get("/tag-edits/{id}", editId).then().statusCode(200)
                .body("outcome", equalTo("APPLIED")).body("requestedBy", equalTo(subjectOf(editorToken())))
                .body("policySeen", equalTo("READ_WRITE_TAGS")).body("azureRequest.method", equalTo("PATCH"))
                .body("azureRequest.body.operation", equalTo("Merge"))
                .body("azureRequest.body.properties.tags.costCenter", equalTo("cc-42"))
                .body("azureTags.addedInPortal", equalTo("yes"));
    }

    @Test
    void aKeyInAnotherCaseUpdatesTheExistingKeyAndAValueWithSlashesArrivesByteForByte() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        setInPortal(vm, Map.of("Environment", "dev"));

        UUID editId = edit(vm, "merge", Map.of("environment", "prod", "path", "team/a//b/ c\\d"));

        assertThat(awaitOutcome(editId).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(azureTags(vm)).containsExactly(Map.entry("Environment", "prod"), Map.entry("path", "team/a//b/ c\\d"));
    }

    @Test
    void replaceAndDeleteDoWhatTheySayAndNoMore() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        setInPortal(vm, Map.of("a", "1", "b", "2", "c", "3"));

        assertThat(awaitOutcome(edit(vm, "delete", Map.of("B", ""))).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(azureTags(vm)).containsOnlyKeys("a", "c");
        assertThat(awaitOutcome(edit(vm, "replace", Map.of("only", "this"))).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(azureTags(vm)).containsExactly(Map.entry("only", "this"));
        assertThat(tagWritesTo(vm)).hasSize(2);
    }

    @Test
    void readTagsOnlyKeepsTheEditInCanopyAndSendsNothing() {
        generate(1, 2);
        onboard(SyncPolicy.READ_TAGS_ONLY);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        Map<String, String> before = azureTags(vm);

        UUID editId = edit(vm, "merge", Map.of("owner", "alice"));

        TagEditOutcome outcome = awaitOutcome(editId);
        assertThat(outcome.outcome()).isEqualTo(Outcome.KEPT_IN_PLATFORM);
        assertThat(outcome.policySeen()).isEqualTo(SyncPolicy.READ_TAGS_ONLY);
        assertThat(azureTags(vm)).isEqualTo(before);
        assertThat(tagWritesTo(vm)).isEmpty();
        given().auth().oauth2(viewerToken()).get("/resources" + vm + "/tags").then().statusCode(200)
                .body("platformTags.owner", equalTo("alice"));
    }

    @Test
    void noTagsNoResourcesAndAnUnseenPolicyRejectTheEditNamingThePolicy() {
        generate(3, 2);
        Map<String, SyncPolicy> policies = Map.of(subscriptionIds.get(0), SyncPolicy.NO_TAGS, subscriptionIds.get(1),
                SyncPolicy.NO_RESOURCES);
        policies.forEach(this::setPolicy);
        // The third subscription is onboarded, but its policy never reaches tag-sync.
        String servicePrincipal = world.servicePrincipals().stream().filter(p -> p.tenantId().equals(tenantId))
                .findFirst().orElseThrow().objectId();
        kafka.publish(new TenantOnboarded(UUID.randomUUID(), Instant.now(), tenantId, servicePrincipal, "admin",
                world.subscriptions().stream().map(s -> new OnboardedSubscription(s.subscriptionId(), s.displayName(), true))
                        .toList()));
        awaitKnown(subscriptionIds);
        for (Map.Entry<String, SyncPolicy> e : policies.entrySet()) {
            String vm = resources(e.getKey()).get(0).id();
            TagEditOutcome outcome = awaitOutcome(edit(vm, "merge", Map.of("x", "y")));
            assertThat(outcome.outcome()).isEqualTo(Outcome.REJECTED_BY_POLICY);
            assertThat(outcome.policySeen()).isEqualTo(e.getValue());
            assertThat(outcome.reason()).contains(e.getValue().name());
            assertThat(tagWritesTo(vm)).isEmpty();
        }
        String vm = resources(subscriptionIds.get(2)).get(0).id();
        TagEditOutcome outcome = awaitOutcome(edit(vm, "merge", Map.of("x", "y")));
        assertThat(outcome.outcome()).isEqualTo(Outcome.REJECTED_BY_POLICY);
        assertThat(outcome.policySeen()).isNull();
        assertThat(outcome.reason()).contains("no sync policy");
        assertThat(tagWritesTo(vm)).isEmpty();
    }

    @Test
    void badInputIsOneProblemWithEveryViolationAndUnknownOrForeignResourcesAre404() {
        generate(1, 1);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("bad/name", "v");
        bad.put("x".repeat(513), "v");
        bad.put("long", "v".repeat(257));
        given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", bad)).patch("/resources" + vm + "/tags").then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations.rule", hasItems("NAME_INVALID_CHARACTERS", "NAME_TOO_LONG", "VALUE_TOO_LONG"))
                .body("violations.field", hasItems("tags.bad/name", "tags.long"));
        given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "upsert", "tags", Map.of("a", "b"))).patch("/resources" + vm + "/tags").then()
                .statusCode(400).body("violations[0].field", equalTo("operation"))
                .body("violations[0].rule", equalTo("one-of"));
        given().auth().oauth2(editorToken()).contentType(ContentType.JSON).body("{\"operation\":")
                .patch("/resources" + vm + "/tags").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", Map.of("a", "b")))
                .patch("/resources/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg/providers/Microsoft.Web/sites/x/tags")
                .then().statusCode(404);
        String stranger = azure.tokens().platformToken("stranger@test", List.of("tag-editor:" + UUID.randomUUID()),
                java.time.Duration.ofHours(1));
        given().auth().oauth2(stranger).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", Map.of("a", "b"))).patch("/resources" + vm + "/tags")
                .then().statusCode(404);
        given().auth().oauth2(viewerToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", Map.of("a", "b"))).patch("/resources" + vm + "/tags")
                .then().statusCode(403).body("detail", containsString("tag-editor"));
        given().contentType(ContentType.JSON).body(Map.of("operation", "merge", "tags", Map.of("a", "b")))
                .patch("/resources" + vm + "/tags").then().statusCode(401);
        // An id that would resolve to another scope (another subscription of the tenant) once a URL is built from it.
        String traversing = vm + "/../../../../../../../subscriptions/" + UUID.randomUUID()
                + "/resourceGroups/rg/providers/Microsoft.Web/sites/victim";
        given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", Map.of("a", "b"), "resourceIds", List.of(traversing)))
                .post("/tag-edits/bulk").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].message", containsString("'..' segment"));
        // Malformed query parameters of the audit trail are named, not a bare 404.
        given().auth().oauth2(viewerToken()).queryParam("after", "abc").get("/tag-edits").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("after"));
        given().auth().oauth2(viewerToken()).queryParam("batch", "xyz").get("/tag-edits").then().statusCode(400)
                .body("violations[0].field", equalTo("batch")).body("violations[0].rule", equalTo("uuid"));
        assertThat(tagWritesTo(vm)).isEmpty();
    }

    @Test
    void aRedeliveredEditIsWrittenOnceAndAPoisonEditGoesToTheDeadLetterTopic() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        UUID editId = edit(vm, "merge", Map.of("once", "1"));
        assertThat(awaitOutcome(editId).outcome()).isEqualTo(Outcome.APPLIED);

        kafka.publishRaw(CanopyTopic.TAG_EDITS.topicName(), ArmResourceId.parse(vm).key(), "{not json".getBytes(),
                Map.of("ce_type", "canopy.tag-edit.requested", "ce_id", UUID.randomUUID().toString()));
        ArmResourceId id = ArmResourceId.parse(vm);
        kafka.publish(new TagEditRequested(UUID.randomUUID(), Instant.now(), editId, null, tenantId,
                id.subscriptionId(), id.key(), id.displayId(), TagOperation.MERGE, Map.of("once", "1"), "editor@test"));
        UUID after = edit(vm, "merge", Map.of("after", "2"));

        assertThat(awaitOutcome(after).outcome()).isEqualTo(Outcome.APPLIED);
        kafka.awaitRecord(CanopyTopic.TAG_EDITS.dlqName(), r -> r.key().equals(id.key()), WAIT);
        assertThat(tagWritesTo(vm)).hasSize(2);
        assertThat(outcomesOf(editId)).hasSize(1);
    }

    @Test
    void oneResourcesEditsAreAppliedInTheOrderTheyWereAccepted() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();

        List<UUID> edits = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            edits.add(edit(vm, "merge", Map.of("version", String.valueOf(i))));
        }
        edits.add(edit(vm, "delete", Map.of("version", "")));
        edits.add(edit(vm, "merge", Map.of("version", "last")));

        edits.forEach(id -> assertThat(awaitOutcome(id).outcome()).isEqualTo(Outcome.APPLIED));
        assertThat(azureTags(vm)).containsEntry("version", "last");
        List<java.time.Instant> decided = edits.stream().map(id -> given().auth().oauth2(viewerToken())
                .get("/tag-edits/{id}", id).then().statusCode(200).extract().path("decidedAt").toString())
                .map(java.time.Instant::parse).toList();
        assertThat(decided).isSorted();
    }

    @Test
    void anEditQueuedForATenantThatIsThenOffboardedIsRejectedAndNothingIsSent() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        kafka.publish(new dev.canopy.events.TenantOffboarded(UUID.randomUUID(), Instant.now(), tenantId, subscriptionIds,
                "admin"));
        await().atMost(WAIT).until(() -> given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", Map.of("a", "b"))).patch("/resources" + vm + "/tags")
                .statusCode() == 409);
        // An edit already on its way when the tenant left (published straight to the topic, as if queued before).
        ArmResourceId id = ArmResourceId.parse(vm);
        UUID editId = UUID.randomUUID();
        kafka.publish(new TagEditRequested(UUID.randomUUID(), Instant.now(), editId, null, tenantId,
                id.subscriptionId(), id.key(), id.displayId(), TagOperation.MERGE, Map.of("late", "1"), "editor"));

        TagEditOutcome outcome = awaitOutcome(editId);
        assertThat(outcome.outcome()).isEqualTo(Outcome.REJECTED_BY_POLICY);
        assertThat(outcome.reason()).contains("offboarded");
        assertThat(tagWritesTo(vm)).isEmpty();
        tenantId = null; // already offboarded
    }

    @Test
    void azureRefusingCanopysPrincipalIsAFailedPermissionTriedOnce() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        // Canopy's role assignments in the tenant are removed, as an owner might do in the portal.
        azure.world().roleAssignments().stream().filter(a -> a.scope().toLowerCase().contains(subscriptionIds.get(0)))
                .map(a -> a.id()).toList().forEach(azure.world()::deleteRoleAssignment);

        TagEditOutcome outcome = awaitOutcome(edit(vm, "merge", Map.of("x", "y")));

        assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED_PERMISSION);
        // Without its role Canopy cannot even read the tags first: nothing is sent, and nothing is retried.
        assertThat(tagWritesTo(vm)).isEmpty();
    }

    @Test
    void driftOnATagCanopyWroteIsReportedOnceAndNeverOverwritten() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        UUID editId = edit(vm, "merge", Map.of("owner", "alice"));
        assertThat(awaitOutcome(editId).outcome()).isEqualTo(Outcome.APPLIED);

        setInPortal(vm, with(azureTags(vm), "owner", "bob"));
        Instant observed = Instant.now();
        collected(vm, azureTags(vm), observed);
        TagEditOutcome drift = kafka.awaitRecord(CanopyTopic.TAG_EDIT_RESULTS.topicName(),
                r -> r.event(TagEditOutcome.class).editId().equals(editId)
                        && r.event(TagEditOutcome.class).outcome() == Outcome.DRIFT_DETECTED, WAIT)
                .event(TagEditOutcome.class);
        assertThat(drift.drift()).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("owner");
            assertThat(d.canopyValue()).isEqualTo("alice");
            assertThat(d.azureValue()).isEqualTo("bob");
        });
        collected(vm, azureTags(vm), observed.plusSeconds(1));
        given().auth().oauth2(viewerToken()).get("/resources" + vm + "/tags").then().statusCode(200)
                .body("drift[0].key", equalTo("owner")).body("drift[0].azureValue", equalTo("bob"));
        await().during(java.time.Duration.ofSeconds(2)).atMost(WAIT).until(() -> outcomesOf(editId).stream()
                .filter(o -> o.outcome() == Outcome.DRIFT_DETECTED).count() == 1);
        assertThat(azureTags(vm)).containsEntry("owner", "bob");
        assertThat(tagWritesTo(vm)).hasSize(1);
    }

    private static String subjectOf(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return io.restassured.path.json.JsonPath.from(payload).getString("sub");
    }

    private static Map<String, String> with(Map<String, String> tags, String name, String value) {
        Map<String, String> result = new LinkedHashMap<>(tags);
        result.put(name, value);
        return result;
    }
}
