package dev.canopy.consent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.world.Application;
import dev.canopy.emulator.world.WorldBuilder;

import io.restassured.filter.cookie.CookieFilter;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** What consent-service's tests share: a clean slate, platform callers, the admin's browser and the tables. */
final class ConsentTestSupport {

    /** A JWT (header.payload...) as Entra ID issues them; no table, log line or event may contain one. */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    private ConsentTestSupport() {
    }

    /** Empties the service's tables and puts the emulator back to its world, with this app's callback registered. */
    static void cleanSlate(AzureEmulator azure) {
        azure.reset();
        Application app = azure.world().application(WorldBuilder.CANOPY_APP_ID).orElseThrow();
        List<String> redirects = new ArrayList<>(app.redirectUris());
        redirects.add(callbackUrl());
        azure.world().putApplication(new Application(app.appId(), app.displayName(), app.homeTenantId(),
                app.secrets(), redirects));
        sql("TRUNCATE onboarding_outcome, onboarding_session, subscription, tenant, outbox_event");
    }

    /** Where Entra ID sends the admin back to (quarkus-oidc builds it from the request's host). */
    static String callbackUrl() {
        return "http://localhost:" + port() + "/onboarding/callback";
    }

    static int port() {
        return io.restassured.RestAssured.port;
    }

    /** A request as a platform user of the emulator's issuer. */
    static RequestSpecification as(AzureEmulator azure, String username) {
        return given().auth().oauth2(azure.tokens().platformToken(username));
    }

    /** A request as a made-up platform user with exactly these roles. */
    static RequestSpecification withRoles(AzureEmulator azure, String name, List<String> roles) {
        return given().auth().oauth2(azure.tokens().platformToken(name, roles, Duration.ofMinutes(10)));
    }

    /** The admin's browser, from the consent URL to the callback's answer. */
    static final class Browser {

        private final AzureEmulator azure;
        private final CookieFilter cookies = new CookieFilter();

        Browser(AzureEmulator azure) {
            this.azure = azure;
        }

        /** Opens the consent URL and follows Canopy's redirects up to Microsoft's authorize URL. */
        String toMicrosoft(String consentUrl) {
            Response start = given().filter(cookies).redirects().follow(false).get(consentUrl);
            assertThat(start.statusCode()).isEqualTo(303);
            Response callback = given().filter(cookies).redirects().follow(false).get(start.header("Location"));
            assertThat(callback.statusCode()).isEqualTo(302);
            String authorize = callback.header("Location");
            assertThat(authorize).startsWith(azure.baseUrl()).contains("code_challenge=").contains("state=")
                    .contains("user_impersonation");
            return authorize;
        }

        /** Signs in, accepts, and brings the answer back to Canopy's callback. */
        Response consent(String consentUrl, String login, String password) {
            return back(azure.browser().consent(toMicrosoft(consentUrl), login, password));
        }

        /** Brings Microsoft's redirect (code and state, or an error) back to Canopy. */
        Response back(URI redirect) {
            String url = redirect.toString();
            StringBuilder trail = new StringBuilder();
            for (int hop = 0; hop < 5; hop++) {
                Response response = given().filter(cookies).redirects().follow(false).urlEncodingEnabled(false).get(url);
                if (response.statusCode() / 100 != 3) {
                    return response;
                }
                trail.append(url).append(" -> ").append(response.statusCode()).append(' ')
                        .append(response.headers().getValues("Set-Cookie")).append('\n');
                url = response.header("Location");
            }
            throw new AssertionError("too many redirects:\n" + trail);
        }
    }

    /** Opens an onboarding session as the platform user; returns its JSON. */
    static JsonPath openSession(AzureEmulator azure, String platformUser) {
        return as(azure, platformUser).post("/onboarding/sessions").then().statusCode(201).extract().jsonPath();
    }

    /** Waits until the session has finished, and returns it. */
    static JsonPath awaitSession(AzureEmulator azure, String platformUser, String sessionId) {
        JsonPath[] last = new JsonPath[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last[0] = as(azure, platformUser).get("/onboarding/sessions/" + sessionId).then().statusCode(200)
                            .extract().jsonPath();
                    String state = last[0].getString("state");
                    return "completed".equals(state) || "failed".equals(state);
                });
        return last[0];
    }

    /** Runs a statement on the service's database. */
    static void sql(String statement) {
        try (Connection connection = connect(); Statement st = connection.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One column of a query's rows, as strings. */
    static List<String> column(String query) {
        try (Connection connection = connect(); Statement st = connection.createStatement();
                ResultSet rows = st.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every value of every text-like column of every table in the public schema. */
    static List<String> allTextInTables() {
        List<String> values = new ArrayList<>();
        for (String table : column("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            for (String col : column("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    + "AND table_name = '" + table + "' AND data_type IN ('text', 'character varying', 'jsonb', 'json')")) {
                values.addAll(column("SELECT \"" + col + "\"::text FROM \"" + table + "\" WHERE \"" + col
                        + "\" IS NOT NULL"));
            }
        }
        return values;
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        Properties credentials = new Properties();
        credentials.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        credentials.setProperty("password",
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), credentials);
    }
}
