package dev.canopy.collector.azure;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cost Management's query API for one subscription: daily cost by resource and service for a date range, one cost
 * type at a time, following {@code nextLink} by re-POSTing the same body.
 */
public final class CostQuery {

    static final String API_VERSION = "2025-03-01";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final DateTimeFormatter USAGE_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    /** One row: the day, the resource id as Cost Management spells it (often lower-cased), service, amount, currency. */
    public record Row(LocalDate day, String resourceId, String serviceName, BigDecimal amount, String currency) {
    }

    private final HttpPipeline pipeline;
    private final String armEndpoint;
    private final String subscriptionId;

    public CostQuery(HttpPipeline pipeline, String armEndpoint, String subscriptionId) {
        this.pipeline = pipeline;
        this.armEndpoint = armEndpoint;
        this.subscriptionId = subscriptionId;
    }

    /**
     * @param costType {@code ActualCost} or {@code AmortizedCost}
     * @param from first day, inclusive; {@code to} last day, inclusive (at most 31 days: Daily's limit)
     * @return the rows, or empty when Cost Management answered 204 No Content for the range: that says nothing about
     *     the days (not "no spend"), so what was published for them before must stay
     */
    public Optional<List<Row>> daily(String costType, LocalDate from, LocalDate to) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", costType).put("timeframe", "Custom");
        body.putObject("timePeriod").put("from", from + "T00:00:00Z").put("to", to + "T23:59:59Z");
        ObjectNode dataset = body.putObject("dataset");
        dataset.put("granularity", "Daily");
        dataset.putObject("aggregation").putObject("totalCost").put("name", "Cost").put("function", "Sum");
        dataset.putArray("grouping").add(dimension("ResourceId")).add(dimension("ServiceName"));
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

        List<Row> rows = new ArrayList<>();
        String url = armEndpoint + "subscriptions/" + subscriptionId
                + "/providers/Microsoft.CostManagement/query?api-version=" + API_VERSION;
        while (url != null) {
            JsonNode page = post(url, bytes);
            if (page == null) {
                return Optional.empty();
            }
            JsonNode props = page.path("properties");
            Map<String, Integer> columns = new HashMap<>();
            JsonNode cols = props.path("columns");
            for (int i = 0; i < cols.size(); i++) {
                columns.put(cols.get(i).path("name").asText(), i);
            }
            int amount = columns.getOrDefault("Cost", columns.getOrDefault("PreTaxCost", 0));
            for (JsonNode row : props.path("rows")) {
                rows.add(new Row(LocalDate.parse(text(row, columns.get("UsageDate")), USAGE_DATE),
                        blankToNull(text(row, columns.get("ResourceId"))), blankToNull(text(row, columns.get("ServiceName"))),
                        row.get(amount).decimalValue(), text(row, columns.get("Currency"))));
            }
            JsonNode next = props.path("nextLink");
            url = next.isNull() || next.isMissingNode() || next.asText().isBlank() ? null : next.asText();
        }
        return Optional.of(rows);
    }

    private JsonNode post(String url, byte[] body) {
        HttpRequest request = new HttpRequest(HttpMethod.POST, url).setHeader("Content-Type", "application/json")
                // Own client-type bucket instead of the shared Default one (AZURE-CONTRACTS §3.4).
                .setHeader("ClientType", "canopy-collector").setBody(body);
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            String text = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
            if (response.getStatusCode() == 204) {
                return null;
            }
            if (response.getStatusCode() != 200) {
                throw new AzureCallException(response.getStatusCode(), "Cost Management query for subscription "
                        + subscriptionId + " answered HTTP " + response.getStatusCode() + ": " + errorCode(text), null);
            }
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AzureCallException(0, "Cost Management answer unreadable: " + e.getMessage(), null);
        } catch (AzureCallException e) {
            throw e;
        } catch (RuntimeException e) {
            throw AzureCallException.of("Cost Management query for subscription " + subscriptionId, e);
        }
    }

    private static String errorCode(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.path("code").asText("") + " " + error.path("message").asText("");
        } catch (IOException | RuntimeException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    private static ObjectNode dimension(String name) {
        return JSON.createObjectNode().put("type", "Dimension").put("name", name);
    }

    private static String text(JsonNode row, Integer index) {
        return index == null ? null : row.get(index).asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
