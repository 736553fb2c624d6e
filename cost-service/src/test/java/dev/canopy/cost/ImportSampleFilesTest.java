package dev.canopy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Each real sample export imported byte for byte, its answer and {@code GET /spend} afterwards compared with counts
 * and totals the test computes from the file itself. The samples share subscriptions, so they are imported under one
 * tenant; their days and cost types do not collide (the two FOCUS files hold the same Microsoft rows).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class ImportSampleFilesTest extends CostTestBase {

    private static final String TENANT = UUID.randomUUID().toString();

    @Test
    void theFocusSampleImportsItsMicrosoftRowsAsBothCostTypesAndCountsTheOthers() {
        ExportFile file = ExportFile.sample("focus_sample.csv");

        JsonPath answer = checkedImport(file, null, "FOCUS_1_0", List.of(CostType.ACTUAL, CostType.AMORTIZED));

        assertThat(file.skippedByProvider()).isNotEmpty();
        assertThat(answer.getLong("rowsSkipped")).isEqualTo(file.rowCount() - file.importedRows().size())
                .isPositive();
    }

    @Test
    void theFocusSampleOfMicrosoftRowsOnly() {
        ExportFile file = ExportFile.sample("focus_sample.microsoft-rows-only.csv");

        JsonPath answer = checkedImport(file, null, "FOCUS_1_0", List.of(CostType.ACTUAL, CostType.AMORTIZED));

        assertThat(answer.getLong("rowsSkipped")).isZero();
    }

    @Test
    void theEaActualCostSample() {
        checkedImport(ExportFile.sample("EA_ActualCost_Small.csv"), "ACTUAL", "EA", List.of(CostType.ACTUAL));
    }

    @Test
    void theEaAmortizedCostSample() {
        checkedImport(ExportFile.sample("EA_AmortizedCost_Small.csv"), "amortized", "EA",
                List.of(CostType.AMORTIZED));
    }

    @Test
    void anEaFileWithoutRowsIsAnImportOfNothing() {
        JsonPath answer = checkedImport(ExportFile.sample("EA_NoRows.csv"), "ACTUAL", "EA", List.of(CostType.ACTUAL));

        assertThat(answer.getLong("rowsRead")).isZero();
        assertThat(answer.getInt("days")).isZero();
        assertThat(answer.getString("firstDay")).isNull();
        assertThat(answer.getList("totals.ACTUAL")).isEmpty();
    }

    /** Imports the file as the tenant's admin and checks the answer, the stored import and the spend against it. */
    private JsonPath checkedImport(ExportFile file, String costType, String format, List<CostType> costTypes) {
        Response response = postImport(TENANT, costType, file, adminOf(TENANT));
        response.then().statusCode(201);
        JsonPath answer = response.jsonPath();
        String id = answer.getString("id");
        assertThat(response.header("Location")).endsWith("/imports/" + id);

        assertThat(answer.getString("tenant")).isEqualTo(TENANT);
        assertThat(answer.getString("format")).isEqualTo(format);
        assertThat(answer.getList("costTypes")).containsExactlyElementsOf(costTypes.stream().map(Enum::name).toList());
        assertThat(answer.getLong("rowsRead")).isEqualTo(file.rowCount());
        assertThat(answer.getLong("rowsImported")).isEqualTo(file.importedRows().size());
        assertThat(answer.getLong("rowsSkipped")).isEqualTo(file.rowCount() - file.importedRows().size());
        Map<String, Object> skipped = answer.getMap("skippedByProvider");
        Map<String, Long> skippedCounts = new HashMap<>();
        skipped.forEach((provider, count) -> skippedCounts.put(provider, ((Number) count).longValue()));
        assertThat(skippedCounts).isEqualTo(file.skippedByProvider());
        assertThat(answer.getLong("days")).isEqualTo(file.days() * costTypes.size());
        assertThat(answer.getString("firstDay")).isEqualTo(Objects.toString(file.firstDay(), null));
        assertThat(answer.getString("lastDay")).isEqualTo(Objects.toString(file.lastDay(), null));
        assertThat(answer.getString("sha256")).isEqualTo(sha256(file.bytes));
        assertThat(answer.getLong("bytes")).isEqualTo(file.bytes.length);
        assertThat(answer.getString("importedBy")).isNotBlank();
        assertThat(answer.getBoolean("duplicate")).isFalse();
        for (CostType type : costTypes) {
            assertThat(amounts(answer.get("totals." + type))).as("totals of " + type).isEqualTo(file.totals(type));
        }
        // What was recorded is what was answered.
        assertThat(get("/imports/" + id, viewerOf(TENANT), Map.of()).then().statusCode(200).extract().jsonPath()
                .getMap("")).isEqualTo(answer.getMap(""));
        if (file.firstDay() != null) {
            for (CostType type : costTypes) {
                assertSpendIs(file, type);
            }
        }
        return answer;
    }

    private void assertSpendIs(ExportFile file, CostType type) {
        Map<String, Object> range = Map.of("from", file.firstDay(), "to", file.lastDay(), "costType", type);
        Map<String, Object> bySubscription = new HashMap<>(range);
        bySubscription.put("groupBy", "subscription");
        JsonPath spend = spend(TENANT, bySubscription);
        assertThat(groupsOf(spend, "groups")).as(type + " per subscription")
                .isEqualTo(file.sums(type, file::subscription));
        assertThat(amounts(spend.get("totals"))).as(type + " in all").isEqualTo(file.totals(type));
        Map<String, Object> byDay = new HashMap<>(range);
        byDay.put("groupBy", "day");
        assertThat(groupsOf(spend(TENANT, byDay), "groups")).as(type + " per day")
                .isEqualTo(file.sums(type, row -> file.day(row).toString()));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
