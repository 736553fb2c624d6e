package dev.canopy.cost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import dev.canopy.cost.ingest.RecordIngestor;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A query parameter given twice is named, not silently its first value; the OpenAPI document says what the API
 * answers; and applying the topics does not log a line per record at INFO.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class SpendInputTest extends CostTestBase {

    private final String tenant = UUID.randomUUID().toString();

    @Test
    void aParameterGivenTwiceIsA400NamingIt() {
        Response twice = spendAsViewer().queryParam("groupBy", "subscription", "service").get("/spend");
        assertProblem(twice, 400, "validation-failed");
        assertThat(violations(twice)).containsExactly("groupBy SingleValued");
        assertThat(twice.jsonPath().getString("violations[0].message"))
                .isEqualTo("groupBy was given more than once (2 times: 'subscription', 'service'); give it once");

        // Every single-valued parameter of every spend endpoint, all named at once, in name order.
        assertThat(violations(spendAsViewer().queryParam("groupBy", "service").queryParam("costType", "ACTUAL", "ACTUAL")
                .queryParam("tenant", tenant).get("/spend")))
                .containsExactly("costType SingleValued", "tenant SingleValued");
        assertThat(violations(spendAsViewer().queryParam("tagKey", "a", "b").get("/spend/unallocated")))
                .containsExactly("tagKey SingleValued");
        assertThat(violations(spendAsViewer().queryParam("by", "service").queryParam("limit", "5", "6")
                .queryParam("from", "2026-10-02").get("/spend/top")))
                .containsExactly("from SingleValued", "limit SingleValued");
        assertThat(violations(spendAsViewer().queryParam("format", "csv", "focus").get("/spend/export")))
                .containsExactly("format SingleValued");

        spendAsViewer().queryParam("groupBy", "service").get("/spend").then().statusCode(200);
    }

    @Test
    void appliedRecordsAreNotLoggedOneByOneAtInfo() {
        List<LogRecord> infos = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                    infos.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(RecordIngestor.class.getName());
        logger.addHandler(capture);
        try {
            publishedWorld(Math.abs(tenant.hashCode()));
        } finally {
            logger.removeHandler(capture);
        }
        // Per record: "applied canopy.tags-2@0 (key …): canopy.tag.snapshot …" — DEBUG now, so none at INFO.
        assertThat(infos).extracting(LogRecord::getMessage).noneMatch(m -> m.startsWith("applied canopy."));
    }

    @Test
    void theOpenApiDocumentSaysWhatTheApiAnswers() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        for (String path : List.of("/spend", "/spend/unallocated", "/spend/top", "/spend/export")) {
            Map<String, Object> responses = doc.getMap("paths.'" + path + "'.get.responses");
            assertThat(responses).as(path).containsOnlyKeys("200", "400", "401", "404");
        }
        assertThat(doc.getMap("paths.'/imports'.post.responses"))
                .containsOnlyKeys("200", "201", "400", "401", "403", "404", "413");
        assertThat(doc.getMap("paths.'/imports/{id}'.get.responses")).containsOnlyKeys("200", "401", "404");
        assertThat(doc.getString("paths.'/spend'.get.responses.'400'.'$ref'")).isEqualTo("#/components/responses/Invalid");
        assertThat(doc.getMap("components.responses.TooLarge.content")).containsOnlyKeys("application/problem+json");
    }

    private RequestSpecification spendAsViewer() {
        return given().auth().oauth2(viewerOf(tenant)).queryParam("tenant", tenant).queryParam("from", "2026-10-01")
                .queryParam("to", "2026-10-31");
    }
}
