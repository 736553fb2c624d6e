package dev.canopy.tagsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.world.Resource;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Bulk edits and previews over many resources. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class BulkEditTest extends TagSyncTestBase {

    @Test
    void aBulkEditOfAThousandResourcesWithThreeInvalidAppliesTheOther997() {
        generate(1, 1_000);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        List<String> ids = resources(sub).stream().map(Resource::id).collect(Collectors.toCollection(ArrayList::new));
        // Three that cannot be written: a malformed id, a subscription Canopy does not know, and a DNS zone that
        // already holds its 15 tags (Azure's rules, found by the writer against Azure's current tags).
        ids.remove(ids.size() - 1);
        ids.remove(ids.size() - 1);
        String fullZone = ids.stream().filter(id -> id.toLowerCase().contains("/microsoft.network/dnszones/")).findFirst()
                .orElseThrow();
        setInPortal(fullZone, IntStream.range(0, 15).boxed()
                .collect(Collectors.toMap(i -> "t" + i, i -> "v", (a, b) -> a, LinkedHashMap::new)));
        ids.add("/subscriptions/not-an-id/providers");
        ids.add("/subscriptions/" + UUID.randomUUID() + "/resourceGroups/rg/providers/Microsoft.Web/sites/ghost");
        assertThat(ids).hasSize(1_000);

        Response response = given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", Map.of("campaign", "q4"), "resourceIds", ids))
                .post("/tag-edits/bulk");
        response.then().statusCode(202);
        UUID batch = UUID.fromString(response.path("batchId"));
        assertThat((Integer) response.path("acceptedCount")).isEqualTo(998);
        assertThat((List<String>) response.path("rejected.resourceId")).containsExactlyInAnyOrder(
                ids.get(998), ids.get(999));
        assertThat((List<String>) response.path("rejected.reason")).allSatisfy(r -> assertThat(r).isNotBlank());

        Map<UUID, TagEditOutcome> outcomes = new HashMap<>();
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            kafka.readAll(CanopyTopic.TAG_EDIT_RESULTS.topicName(), Duration.ofSeconds(20)).stream()
                    .map(r -> r.event(TagEditOutcome.class)).filter(o -> batch.equals(o.batchId()))
                    .forEach(o -> outcomes.put(o.editId(), o));
            return outcomes.size() == 998;
        });
        Map<Outcome, Long> byOutcome = outcomes.values().stream()
                .collect(Collectors.groupingBy(TagEditOutcome::outcome, Collectors.counting()));
        assertThat(byOutcome).containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.APPLIED, 997L,
                Outcome.REJECTED_BY_AZURE_RULES, 1L));
        TagEditOutcome rejected = outcomes.values().stream()
                .filter(o -> o.outcome() == Outcome.REJECTED_BY_AZURE_RULES).findFirst().orElseThrow();
        assertThat(rejected.resourceId()).isEqualTo(fullZone.toLowerCase());
        assertThat(rejected.reason()).contains("15");
        assertThat(tagWritesTo(fullZone)).isEmpty();
        ids.subList(0, 998).stream().filter(id -> !id.equals(fullZone))
                .forEach(id -> assertThat(azureTags(id)).containsEntry("campaign", "q4"));
        given().auth().oauth2(viewerToken()).queryParam("batch", batch).queryParam("state", "APPLIED")
                .queryParam("limit", 1000).get("/tag-edits").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(997));
    }

    @Test
    void aPreviewShowsTheRequestTheResultAndWhatWouldStopItAndWritesNothing() {
        generate(2, 3);
        dev.canopy.testsupport.world.Onboarding.onboardTenant(kafka, world, tenantId,
                List.of(SyncPolicy.READ_WRITE_TAGS, SyncPolicy.NO_TAGS));
        awaitKnown(subscriptionIds);
        String writable = resources(subscriptionIds.get(0)).get(0).id();
        String forbidden = resources(subscriptionIds.get(1)).get(0).id();
        setInPortal(writable, Map.of("Env", "dev", "keep", "me"));
        collected(writable, azureTags(writable), Instant.now());
        await().atMost(WAIT).until(() -> given().auth().oauth2(viewerToken()).get("/resources" + writable + "/tags")
                .path("azureTags.keep") != null);

        Response preview = given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", Map.of("env", "prod"),
                        "resourceIds", List.of(writable, forbidden, "/nonsense")))
                .post("/tag-edits/preview");

        preview.then().statusCode(200);
        assertThat((String) preview.path("resources[0].expectedOutcome")).isEqualTo("APPLIED");
        assertThat((String) preview.path("resources[0].request.method")).isEqualTo("PATCH");
        assertThat((String) preview.path("resources[0].request.url")).contains(writable + "/providers/Microsoft.Resources/tags/default");
        assertThat((Map<String, String>) preview.path("resources[0].request.body.properties.tags"))
                .isEqualTo(Map.of("Env", "prod"));
        assertThat((Map<String, String>) preview.path("resources[0].resultingTags"))
                .isEqualTo(Map.of("Env", "prod", "keep", "me"));
        assertThat((String) preview.path("resources[1].expectedOutcome")).isEqualTo("REJECTED_BY_POLICY");
        assertThat((String) preview.path("resources[1].blockers[0].rule")).isEqualTo("NO_TAGS");
        assertThat((String) preview.path("resources[2].blockers[0].kind")).isEqualTo("INVALID_RESOURCE_ID");
        assertThat(tagWritesTo(writable)).isEmpty();
        assertThat(azureTags(writable)).isEqualTo(Map.of("Env", "dev", "keep", "me"));
        given().auth().oauth2(viewerToken()).queryParam("resourceId", writable).get("/tag-edits").then()
                .statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }
}
