package dev.canopy.testsupport.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * What every Canopy service promises once it has booted on the real broker and database: readiness that covers
 * both, its migrations applied, Prometheus metrics and its OpenAPI document. A service's test extends this and
 * adds {@code @QuarkusTest} with the Kafka and PostgreSQL test resources.
 */
public abstract class ServiceReadinessContract {

    /** The tables the service's Flyway migrations must have created. */
    protected abstract List<String> expectedTables();

    @Test
    void readinessReportsKafkaAndTheDatabaseUp() {
        JsonPath health = given().when().get("/q/health/ready")
                .then().statusCode(200).extract().jsonPath();

        assertThat(health.getString("status")).isEqualTo("UP");
        List<Map<String, Object>> checks = health.getList("checks");
        assertThat(checks)
                .anySatisfy(check -> {
                    assertThat((String) check.get("name")).containsIgnoringCase("database");
                    assertThat(check.get("status")).isEqualTo("UP");
                })
                .anySatisfy(check -> {
                    assertThat((String) check.get("name")).containsIgnoringCase("kafka");
                    assertThat(check.get("status")).isEqualTo("UP");
                });
    }

    @Test
    void migrationsCreatedTheServiceTables() throws SQLException {
        assertThat(tablesInPublicSchema()).containsAll(expectedTables()).contains("flyway_schema_history");
    }

    @Test
    void prometheusMetricsAreServed() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void openApiDocumentAndSwaggerUiAreServed() {
        String applicationName = ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);

        JsonPath openApi = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        assertThat(openApi.getString("info.title")).contains(applicationName);
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static List<String> tablesInPublicSchema() throws SQLException {
        var config = ConfigProvider.getConfig();
        Properties credentials = new Properties();
        credentials.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        credentials.setProperty("password",
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        try (Connection connection = DriverManager.getConnection(url, credentials);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
                ResultSet rows = query.executeQuery()) {
            List<String> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
            return tables;
        }
    }
}
