package dev.canopy.collector;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Progress events, GET /collections and POST /subscriptions/{id}/collect with the platform's roles. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class CollectionApiTest extends CollectorTestBase {

    @Test
    void aRunReportsStartedPagesAndFinishedAndTheApiShowsItToItsTenantOnly() {
        onboard(generate(1, 2, 11), SyncPolicy.READ_WRITE_TAGS);
        String sub = subscriptionIds.get(0);
        CollectionRunProgress finished = awaitRun(sub, 1);

        List<CollectionRunProgress> events = kafka.readAll(CanopyTopic.COLLECTION_RUNS.topicName(), READ_TIMEOUT).stream()
                .map(r -> r.event(CollectionRunProgress.class)).filter(e -> e.runId().equals(finished.runId())).toList();
        assertThat(events.get(0).phase()).isEqualTo(CollectionRunProgress.Phase.STARTED);
        assertThat(events.get(events.size() - 1).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        // 2 groups on one page, 11 resources on three pages of five.
        assertThat(events).filteredOn(e -> e.phase() == CollectionRunProgress.Phase.PAGE_DONE).extracting(CollectionRunProgress::pagesDone)
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(finished.resourcesSeen()).isEqualTo(worldKeys(sub).size());

        given().auth().oauth2(adminToken()).when().get("/collections").then().statusCode(200)
                .body("subscriptionId", hasItem(sub))
                .body("find { it.subscriptionId == '" + sub + "' }.state", org.hamcrest.Matchers.equalTo("FINISHED"))
                .body("find { it.subscriptionId == '" + sub + "' }.resourcesSeen", org.hamcrest.Matchers.equalTo(13))
                .body("find { it.subscriptionId == '" + sub + "' }.nextRunAt", org.hamcrest.Matchers.notNullValue())
                .body("find { it.subscriptionId == '" + sub + "' }.durationMillis", org.hamcrest.Matchers.notNullValue());
        String stranger = azure.tokens().platformToken("stranger@test", List.of("admin:" + UUID.randomUUID()),
                Duration.ofHours(1));
        given().auth().oauth2(stranger).when().get("/collections").then().statusCode(200)
                .body("subscriptionId", not(hasItem(sub)));
        given().when().get("/collections").then().statusCode(401);
    }

    @Test
    void onDemandRunsNeedAdminOfTheTenantOrOps() {
        onboard(generate(1, 1, 2), SyncPolicy.READ_TAGS_ONLY);
        String sub = subscriptionIds.get(0);
        awaitRun(sub, 1);

        String viewer = azure.tokens().platformToken("viewer@test", List.of("viewer:" + tenantId), Duration.ofHours(1));
        given().auth().oauth2(viewer).when().post("/subscriptions/{id}/collect", sub).then().statusCode(403);
        String stranger = azure.tokens().platformToken("stranger@test", List.of("admin:" + UUID.randomUUID()),
                Duration.ofHours(1));
        given().auth().oauth2(stranger).when().post("/subscriptions/{id}/collect", sub).then().statusCode(404);
        given().auth().oauth2(adminToken()).when().post("/subscriptions/{id}/collect", UUID.randomUUID())
                .then().statusCode(404);

        given().auth().oauth2(opsToken()).when().post("/subscriptions/{id}/collect", sub).then().statusCode(202);
        assertThat(awaitRun(sub, 2).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
        requestRun(sub);
        assertThat(awaitRun(sub, 3).phase()).isEqualTo(CollectionRunProgress.Phase.FINISHED);
    }

    @Test
    void malformedJsonIsA400AndTheOpenApiDocumentSaysWhatTheApiAnswers() {
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body("{")
                .post("/subscriptions/{id}/collect", UUID.randomUUID()).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].rule", equalTo("ReadableJson"));

        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        assertThat(doc.getMap("paths.'/subscriptions/{subscriptionId}/collect'.post.responses"))
                .containsOnlyKeys("202", "400", "401", "403", "404", "409");
        assertThat(doc.getMap("paths.'/collections'.get.responses")).containsOnlyKeys("200", "401");
        assertThat(doc.getMap("components.responses.Conflict.content")).containsOnlyKeys("application/problem+json");
    }
}
