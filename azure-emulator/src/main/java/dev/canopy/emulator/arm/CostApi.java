package dev.canopy.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.entra.Caller;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Request;
import dev.canopy.emulator.server.Response;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.world.CostEntry;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagNames;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Cost Management Query_Usage at subscription and resource-group scope: ActualCost/Usage and AmortizedCost,
 * granularity Daily or None, up to two groupings (dimensions ResourceId, ResourceGroupName, ServiceName, ... or a
 * TagKey, which yields TagKey + TagValue columns), dimension/tag filters with and/or/not, currencies never added
 * together, and {@code nextLink} paging (re-POST the same body).
 */
public final class CostApi {

    private static final DateTimeFormatter USAGE_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int MAX_DAILY_DAYS = 31;

    private final ArmGate gate;
    private final int pageSize;

    public CostApi(ArmGate gate, int pageSize) {
        this.gate = gate;
        this.pageSize = pageSize;
    }

    public List<Route> routes() {
        return List.of(Route.of("arm.costmanagement.query", "POST",
                "/(?<scope>subscriptions/.+)/providers/Microsoft\\.CostManagement/query", Route.Kind.ARM, this::query));
    }

    /** A grouping column: its name(s) and how to read it from an entry. */
    private record Grouping(List<String> columns, Function<CostEntry, List<Object>> values) {
    }

    private Response query(Request r) {
        ApiVersions.COST_MANAGEMENT.require(r);
        ArmResourceId scope;
        try {
            scope = ArmResourceId.parse("/" + r.group("scope"));
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest("BadRequest", "Invalid scope '" + r.group("scope") + "'.");
        }
        if (scope.scopeKind() == ArmResourceId.ScopeKind.RESOURCE) {
            throw ArmException.badRequest("BadRequest", "Scope '/" + r.group("scope") + "' is not supported by the query API.");
        }
        Caller caller = gate.authenticate(r);
        Subscription subscription = gate.enter(r, scope.subscriptionId(), RateLimiter.Kind.READS, caller);
        gate.require(caller, scope.displayId(), "Microsoft.CostManagement/query/read");
        gate.limiter().costQuery(r, caller.tenantId(), scope.key());
        if (scope.scopeKind() == ArmResourceId.ScopeKind.RESOURCE_GROUP
                && gate.world().resourceGroup(subscription.subscriptionId(), scope.resourceGroup()).isEmpty()) {
            throw ArmException.notFound("ResourceGroupNotFound", "Resource group '" + scope.resourceGroup() + "' could not be found.");
        }
        JsonNode body = r.json();
        String type = body.path("type").asText("");
        String costType = switch (type.toLowerCase(Locale.ROOT)) {
            case "usage", "actualcost" -> "ActualCost";
            case "amortizedcost" -> "AmortizedCost";
            default -> throw ArmException.badRequest("BadRequest", "Invalid query type '" + type
                    + "'. Valid values are 'Usage', 'ActualCost', 'AmortizedCost'.");
        };
        LocalDate[] period = period(body);
        JsonNode dataset = body.path("dataset");
        String granularity = dataset.path("granularity").asText("None");
        boolean daily = granularity.equalsIgnoreCase("Daily");
        if (!daily && !granularity.equalsIgnoreCase("None")) {
            throw ArmException.badRequest("BadRequest", "Invalid granularity '" + granularity + "'. Valid values are 'Daily', 'None'.");
        }
        long days = ChronoUnit.DAYS.between(period[0], period[1]) + 1;
        if (daily && days > MAX_DAILY_DAYS) {
            throw ArmException.badRequest("BadRequest", "Invalid query: a query with Daily granularity can span at most "
                    + MAX_DAILY_DAYS + " days; the time period has " + days + " days.");
        }
        if (days > 366) {
            throw ArmException.badRequest("BadRequest", "Invalid query: the time period cannot exceed 12 months.");
        }
        List<String> aggregations = new ArrayList<>();
        dataset.path("aggregation").fields().forEachRemaining(e -> {
            if (!e.getValue().path("function").asText("Sum").equalsIgnoreCase("Sum")) {
                throw ArmException.badRequest("BadRequest", "Only the 'Sum' aggregation function is supported.");
            }
            aggregations.add(e.getValue().path("name").asText("PreTaxCost"));
        });
        if (aggregations.isEmpty()) {
            aggregations.add("PreTaxCost");
        }
        List<Grouping> groupings = new ArrayList<>();
        dataset.path("grouping").forEach(g -> groupings.add(grouping(g)));
        if (groupings.size() > 2) {
            throw ArmException.badRequest("BadRequest", "Invalid query: at most 2 grouping clauses are allowed.");
        }
        Predicate<CostEntry> filter = dataset.has("filter") ? filter(dataset.path("filter")) : e -> true;

        Map<List<Object>, BigDecimal> sums = new LinkedHashMap<>();
        for (CostEntry e : gate.world().costs(subscription.subscriptionId())) {
            if (!e.costType().equals(costType) || e.date().isBefore(period[0]) || e.date().isAfter(period[1])) {
                continue;
            }
            if (scope.scopeKind() == ArmResourceId.ScopeKind.RESOURCE_GROUP
                    && !scope.resourceGroup().equalsIgnoreCase(e.resourceGroup())) {
                continue;
            }
            if (!filter.test(e)) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            groupings.forEach(g -> key.addAll(g.values().apply(e)));
            if (daily) {
                key.add(Long.parseLong(USAGE_DATE.format(e.date())));
            }
            key.add(e.currency());
            sums.merge(key, e.cost(), BigDecimal::add);
        }
        List<Map.Entry<List<Object>, BigDecimal>> rows = new ArrayList<>(sums.entrySet());
        int offset = 0;
        String token = Paging.decode(r.query("$skiptoken"));
        if (token != null) {
            try {
                offset = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw ArmException.badRequest("BadRequest", "Invalid $skiptoken.");
            }
            // A genuine token outlives a world that shrank (reset, new costs): past the end is an empty last page.
            offset = Math.min(Math.max(offset, 0), rows.size());
        }
        int end = Math.min(rows.size(), offset + pageSize);

        ObjectNode response = Json.object();
        String id = UUID.randomUUID().toString();
        response.put("id", scope.displayId().substring(1) + "/providers/Microsoft.CostManagement/query/" + id);
        response.put("name", id);
        response.put("type", "Microsoft.CostManagement/query");
        response.putNull("location");
        response.putNull("sku");
        response.putNull("eTag");
        ObjectNode props = response.putObject("properties");
        if (end < rows.size()) {
            props.put("nextLink", r.baseUrl() + r.path() + "?api-version=" + r.query("api-version")
                    + "&$skiptoken=" + Paging.encodeToken(String.valueOf(end)));
        } else {
            props.putNull("nextLink");
        }
        ArrayNode columns = props.putArray("columns");
        aggregations.forEach(a -> columns.addObject().put("name", a).put("type", "Number"));
        groupings.forEach(g -> g.columns().forEach(c -> columns.addObject().put("name", c).put("type", "String")));
        if (daily) {
            columns.addObject().put("name", "UsageDate").put("type", "Number");
        }
        columns.addObject().put("name", "Currency").put("type", "String");
        ArrayNode out = props.putArray("rows");
        for (Map.Entry<List<Object>, BigDecimal> row : rows.subList(offset, end)) {
            ArrayNode line = out.addArray();
            aggregations.forEach(a -> line.add(row.getValue().doubleValue()));
            row.getKey().forEach(v -> {
                if (v instanceof Long l) {
                    line.add(l);
                } else {
                    line.add((String) v);
                }
            });
        }
        return Response.json(200, response);
    }

    private LocalDate[] period(JsonNode body) {
        String timeframe = body.path("timeframe").asText("");
        LocalDate today = LocalDate.ofInstant(gate.world().clock().instant(), java.time.ZoneOffset.UTC);
        return switch (timeframe.toLowerCase(Locale.ROOT)) {
            case "custom" -> {
                JsonNode p = body.path("timePeriod");
                if (!p.has("from") || !p.has("to")) {
                    throw ArmException.badRequest("BadRequest", "Invalid query: timePeriod with 'from' and 'to' is required for timeframe 'Custom'.");
                }
                LocalDate from = date(p.path("from").asText());
                LocalDate to = date(p.path("to").asText());
                if (to.isBefore(from)) {
                    throw ArmException.badRequest("BadRequest", "Invalid query: 'to' is before 'from'.");
                }
                yield new LocalDate[]{from, to};
            }
            case "monthtodate", "billingmonthtodate" -> new LocalDate[]{today.withDayOfMonth(1), today};
            case "thelastmonth", "thelastbillingmonth" -> new LocalDate[]{today.minusMonths(1).withDayOfMonth(1),
                    today.minusMonths(1).with(TemporalAdjusters.lastDayOfMonth())};
            case "weektodate" -> new LocalDate[]{today.minusDays(today.getDayOfWeek().getValue() % 7), today};
            default -> throw ArmException.badRequest("BadRequest", "Invalid timeframe '" + timeframe + "'.");
        };
    }

    private static LocalDate date(String text) {
        try {
            return OffsetDateTime.parse(text).toLocalDate();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text);
            } catch (DateTimeParseException e2) {
                throw ArmException.badRequest("BadRequest", "Invalid date '" + text + "'.");
            }
        }
    }

    private static Grouping grouping(JsonNode g) {
        String type = g.path("type").asText("");
        String name = g.path("name").asText("");
        if (type.equalsIgnoreCase("TagKey")) {
            return new Grouping(List.of("TagKey", "TagValue"), e -> tag(e, name)
                    .map(t -> List.<Object>of(t.getKey(), t.getValue())).orElse(List.of("", "")));
        }
        if (!type.equalsIgnoreCase("Dimension")) {
            throw ArmException.badRequest("BadRequest", "Invalid grouping type '" + type + "'. Valid values are 'Dimension', 'TagKey'.");
        }
        Function<CostEntry, String> dim = dimension(name);
        return new Grouping(List.of(name), e -> List.of(String.valueOf(dim.apply(e))));
    }

    private static Optional<Map.Entry<String, String>> tag(CostEntry e, String key) {
        return e.tags().entrySet().stream().filter(t -> TagNames.same(t.getKey(), key)).findFirst();
    }

    private static Function<CostEntry, String> dimension(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "resourceid" -> e -> e.resourceId() == null ? "" : e.resourceId().toLowerCase(Locale.ROOT);
            case "resourcegroupname", "resourcegroup" -> e -> e.resourceGroup() == null ? "" : e.resourceGroup();
            case "servicename" -> e -> nz(e.serviceName());
            case "resourcetype" -> e -> nz(e.resourceType());
            case "resourcelocation" -> e -> nz(e.location());
            case "metercategory" -> e -> nz(e.meterCategory());
            case "subscriptionid" -> e -> e.subscriptionId();
            case "chargetype" -> e -> nz(e.chargeType());
            case "pricingmodel" -> e -> nz(e.pricingModel());
            default -> throw ArmException.badRequest("BadRequest", "Invalid dimension '" + name + "'.");
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static Predicate<CostEntry> filter(JsonNode node) {
        if (node.has("and") || node.has("or")) {
            boolean and = node.has("and");
            JsonNode children = node.path(and ? "and" : "or");
            if (!children.isArray() || children.size() < 2) {
                throw ArmException.badRequest("BadRequest", "Invalid query filter: '" + (and ? "and" : "or") + "' needs at least 2 expressions.");
            }
            List<Predicate<CostEntry>> parts = new ArrayList<>();
            children.forEach(c -> parts.add(filter(c)));
            return and ? e -> parts.stream().allMatch(p -> p.test(e)) : e -> parts.stream().anyMatch(p -> p.test(e));
        }
        if (node.has("not")) {
            return filter(node.path("not")).negate();
        }
        if (node.has("dimensions")) {
            JsonNode d = node.path("dimensions");
            Function<CostEntry, String> dim = dimension(d.path("name").asText(""));
            List<String> values = values(d);
            return e -> values.stream().anyMatch(v -> v.equalsIgnoreCase(dim.apply(e)));
        }
        if (node.has("tags")) {
            JsonNode t = node.path("tags");
            String key = t.path("name").asText("");
            List<String> values = values(t);
            return e -> tag(e, key).map(tag -> values.contains(tag.getValue())).orElse(false);
        }
        throw ArmException.badRequest("BadRequest", "Invalid query filter: " + node);
    }

    private static List<String> values(JsonNode clause) {
        if (!clause.path("operator").asText("In").equalsIgnoreCase("In")) {
            throw ArmException.badRequest("BadRequest", "Only the 'In' operator is supported.");
        }
        List<String> values = new ArrayList<>();
        clause.path("values").forEach(v -> values.add(v.asText()));
        return values;
    }
}
