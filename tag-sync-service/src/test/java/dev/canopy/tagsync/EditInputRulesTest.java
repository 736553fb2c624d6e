package dev.canopy.tagsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What a new user sends by mistake: too many tags, tag values that are not strings, a page size out of range. Each is
 * one 400 naming the field and the rule, on the single edit, the preview and the bulk edit alike; and the OpenAPI
 * document says what the API really answers.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class EditInputRulesTest extends TagSyncTestBase {

    @Test
    void tooManyTagsNameNoResourceTypeButTheLimitForAnyResource() {
        generate(1, 1);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String resource = resources(subscriptionIds.get(0)).get(0).id();
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; i <= 51; i++) {
            tags.put("tag" + i, "v");
        }
        String expected = "51 tags exceed the limit of 50 tags for any resource";

        given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", tags)).patch("/resources" + resource + "/tags").then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("tags")).body("violations[0].rule", equalTo("TOO_MANY_TAGS"))
                .body("violations[0].message", equalTo(expected))
                .body("detail", not(containsString("Microsoft.Resources/resourceGroups")));
        for (String path : List.of("/tag-edits/preview", "/tag-edits/bulk")) {
            given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                    .body(Map.of("operation", "merge", "tags", tags, "resourceIds", List.of(resource))).post(path)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].message", equalTo(expected));
        }
        assertThat(tagWritesTo(resource)).isEmpty();
    }

    @Test
    void aTagValueThatIsNotAStringIsRefusedNotCoerced() {
        generate(1, 1);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String resource = resources(subscriptionIds.get(0)).get(0).id();
        String body = "{\"operation\":\"merge\",\"tags\":{\"k\":5,\"on\":true,\"o\":{\"a\":\"b\"},\"l\":[\"x\"],"
                + "\"n\":null,\"fine\":\"5\"}}";

        JsonPath problem = given().auth().oauth2(editorToken()).contentType(ContentType.JSON).body(body)
                .patch("/resources" + resource + "/tags").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("violations.field")).containsExactly("tags.k", "tags.on", "tags.o", "tags.l",
                "tags.n");
        assertThat(problem.getList("violations.rule")).containsExactly("VALUE_NOT_STRING", "VALUE_NOT_STRING",
                "VALUE_NOT_STRING", "VALUE_NOT_STRING", "VALUE_MISSING");
        assertThat(problem.getString("violations[0].message")).contains("tag 'k'", "JSON string", "a number 5");

        String oneNumber = "{\"operation\":\"merge\",\"tags\":{\"k\":5},\"resourceIds\":[\"" + resource + "\"]}";
        for (String path : List.of("/tag-edits/preview", "/tag-edits/bulk")) {
            given().auth().oauth2(editorToken()).contentType(ContentType.JSON).body(oneNumber).post(path).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo("tags.k"))
                    .body("violations[0].rule", equalTo("VALUE_NOT_STRING"));
        }
        assertThat(tagWritesTo(resource)).isEmpty();
    }

    @Test
    void aPageSizeOutOfRangeIsNamedWithItsRange() {
        for (String limit : List.of("-1", "0", "1001", "99999999999999999999")) {
            given().auth().oauth2(viewerToken()).queryParam("limit", limit).get("/tag-edits").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo("limit")).body("violations[0].rule", equalTo("range"))
                    .body("violations[0].message", containsString("from 1 to 1000"));
        }
        given().auth().oauth2(viewerToken()).queryParam("limit", "1000").get("/tag-edits").then().statusCode(200);
        given().auth().oauth2(viewerToken()).queryParam("limit", "1").get("/tag-edits").then().statusCode(200);
        // Given twice, a filter is named, not silently its first value (service-platform's rule for every API).
        given().auth().oauth2(viewerToken()).queryParam("state", "open", "APPLIED").get("/tag-edits").then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("state")).body("violations[0].rule", equalTo("SingleValued"));
    }

    @Test
    void theOpenApiDocumentSaysWhatTheApiAnswers() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        Map<String, Object> patch = doc.getMap("paths.'/resources/{resourceId}/tags'.patch.responses");
        assertThat(patch).containsOnlyKeys("202", "400", "401", "403", "404", "409");
        assertThat(doc.getMap("paths.'/resources/{resourceId}/tags'.get.responses"))
                .containsOnlyKeys("200", "400", "401", "404");
        assertThat(doc.getMap("paths.'/tag-edits/bulk'.post.responses")).containsOnlyKeys("202", "400", "401");
        assertThat(doc.getMap("paths.'/tag-edits/preview'.post.responses")).containsOnlyKeys("200", "400", "401");
        assertThat(doc.getMap("paths.'/tag-edits'.get.responses")).containsOnlyKeys("200", "400", "401");
        assertThat(doc.getMap("paths.'/tag-edits/{editId}'.get.responses")).containsOnlyKeys("200", "401", "404");
        // The errors are problem documents.
        assertThat(doc.getMap("components.responses.Invalid.content")).containsOnlyKeys("application/problem+json");
        given().queryParam("format", "json").get("/q/openapi").then()
                .body("paths.'/resources/{resourceId}/tags'.patch.responses.'400'.'$ref'",
                        equalTo("#/components/responses/Invalid"))
                .body("components.responses.keySet()", hasItem("NotFound"));
    }
}
