package dev.canopy.emulator.world;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.canopy.emulator.server.Json;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagSetOperations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The default world, built from real sample cost data bundled in {@code azure-samples/} (see its SOURCES.md):
 * the FOCUS 1.0 Microsoft rows and the EA actual and amortized exports become one customer tenant ("Trey
 * Research") with five subscriptions, their resource groups, resources with the tags of their latest usage row,
 * and daily ActualCost / AmortizedCost entries. A second customer tenant ("Contoso") has one small synthetic
 * subscription billed in EUR. The demo admin owns three of Trey's subscriptions, reads one and has no role on the
 * fifth.
 */
public final class SampleWorld {

    public static final String TREY_TENANT_ID = "5b2d3f6a-7c1e-4e0a-9f3b-2a6c1d8e4f70";
    public static final String CONTOSO_TENANT_ID = "c0b7a1e2-3d4f-4a5b-8c6d-7e8f9a0b1c2d";
    public static final String SUB_RND = "64e355d7-997c-491d-b0c1-8414dccfcf42";
    public static final String SUB_IT = "ed570627-0265-4620-bb42-bae06bcfa914";
    public static final String SUB_CORPORATE = "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674";
    public static final String SUB_FINANCE = "73c0021f-a37d-433f-8baa-7450cb54eea6";
    public static final String SUB_COST_RESEARCH = "1caaa5a3-2b66-438e-8ab4-bce37d518c5d";
    public static final String CONTOSO_SUB = "3f9a2b1c-8d7e-4f6a-9b5c-1d2e3f4a5b6c";

    public static final String DEMO_ADMIN = "admin@treyresearch.example";
    public static final String DEMO_ADMIN_PASSWORD = "Trey-Admin-1!";
    public static final String DEMO_ADMIN_ID = WorldBuilder.stableId("user|" + DEMO_ADMIN);
    public static final String TREY_VIEWER = "viewer@treyresearch.example";
    public static final String TREY_VIEWER_PASSWORD = "Trey-Viewer-1!";
    public static final String CONTOSO_ADMIN = "admin@contoso.example";
    public static final String CONTOSO_ADMIN_PASSWORD = "Contoso-Admin-1!";

    private static final DateTimeFormatter EA_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");
    private static final String SAMPLES = "/azure-samples/";

    private SampleWorld() {
    }

    /** What the samples say about one resource, merged over all its rows. */
    private static final class Seen {
        String id;
        String location;
        Map<String, String> tags = Map.of();
        LocalDate first;
        LocalDate last;
    }

    public static WorldSpec build() {
        WorldBuilder b = WorldBuilder.withCanopy();
        b.tenant(new Tenant(TREY_TENANT_ID, "Trey Research", "treyresearch.example", "US"));
        b.tenant(new Tenant(CONTOSO_TENANT_ID, "Contoso", "contoso.example", "DE"));
        Map<String, String> subscriptionNames = new LinkedHashMap<>();
        Map<String, Seen> resources = new LinkedHashMap<>();

        for (Map<String, String> row : csv("focus/focus_sample.microsoft-rows-only.csv")) {
            LocalDate date = LocalDate.parse(row.get("ChargePeriodStart").substring(0, 10));
            String id = row.get("ResourceId");
            Map<String, String> tags = parseTags(row.get("Tags"), true);
            seen(resources, id, row.get("RegionId"), tags, date);
            ArmResourceId arm = ArmResourceId.parse(id);
            for (String[] cost : new String[][]{{"ActualCost", row.get("BilledCost")}, {"AmortizedCost", row.get("EffectiveCost")}}) {
                b.cost(new CostEntry(date, arm.subscriptionId().toLowerCase(Locale.ROOT), arm.resourceGroup(), id,
                        arm.resourceType(), row.get("RegionId"), row.get("ServiceName"), row.get("ServiceCategory"),
                        row.get("ChargeCategory"), row.get("PricingCategory"), cost[0], new BigDecimal(cost[1]),
                        row.get("BillingCurrency"), tags));
            }
        }
        for (String[] file : new String[][]{{"finops-toolkit/EA_ActualCost_Small.csv", "ActualCost"},
                {"finops-toolkit/EA_AmortizedCost_Small.csv", "AmortizedCost"}}) {
            for (Map<String, String> row : csv(file[0])) {
                LocalDate date = LocalDate.parse(row.get("Date"), EA_DATE);
                String subscriptionId = row.get("SubscriptionId").toLowerCase(Locale.ROOT);
                subscriptionNames.putIfAbsent(subscriptionId, row.get("SubscriptionName"));
                String id = row.get("ResourceId");
                Map<String, String> tags = parseTags(row.get("Tags"), false);
                String location = row.get("ResourceLocation").toLowerCase(Locale.ROOT).replace(" ", "");
                boolean armResource = id.toLowerCase(Locale.ROOT).startsWith("/subscriptions/");
                if (armResource) {
                    seen(resources, id, location, tags, date);
                }
                String resourceType = armResource ? ArmResourceId.parse(id).resourceType() : null;
                b.cost(new CostEntry(date, subscriptionId, row.get("ResourceGroup"), id, resourceType, location,
                        row.get("MeterCategory"), row.get("MeterCategory"), row.get("ChargeType"), row.get("PricingModel"),
                        file[1], new BigDecimal(row.get("Cost")), row.get("BillingCurrency"), tags));
            }
        }

        for (Seen s : resources.values()) {
            subscriptionNames.putIfAbsent(ArmResourceId.parse(s.id).subscriptionId().toLowerCase(Locale.ROOT), null);
        }
        fillMissingLocations(resources.values());
        subscriptionNames.forEach((id, name) -> b.subscription(new Subscription(id, TREY_TENANT_ID,
                name != null ? name : "Trey Research " + id.substring(0, 8), "Enabled", Map.of(), null, null)));
        Map<String, ResourceGroup> groups = new LinkedHashMap<>();
        for (Seen s : resources.values()) {
            ArmResourceId arm = ArmResourceId.parse(s.id);
            String sub = arm.subscriptionId().toLowerCase(Locale.ROOT);
            groups.putIfAbsent((sub + "/" + arm.resourceGroup()).toLowerCase(Locale.ROOT),
                    new ResourceGroup(sub, arm.resourceGroup(), s.location, null, null, "Succeeded"));
            String canonical = "/subscriptions/" + sub + s.id.substring(s.id.toLowerCase(Locale.ROOT)
                    .indexOf("/resourcegroups/"));
            b.resource(new Resource(canonical, s.location, s.tags, null, null, null, null,
                    s.first.atStartOfDay().toInstant(ZoneOffset.UTC), s.last.atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        groups.values().forEach(b::resourceGroup);

        // People: the demo admin owns three subscriptions, reads one, and has no role on the fifth.
        b.user(new User(DEMO_ADMIN_ID, TREY_TENANT_ID, DEMO_ADMIN, "Dana Admin", DEMO_ADMIN_PASSWORD, true));
        for (String sub : List.of(SUB_RND, SUB_CORPORATE, SUB_FINANCE)) {
            b.assign("/subscriptions/" + sub, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", DEMO_ADMIN_ID, "User");
        }
        b.assign("/subscriptions/" + SUB_IT, "acdd72a7-3385-48ef-bd42-f606fba81ae7", DEMO_ADMIN_ID, "User");
        String viewerId = WorldBuilder.stableId("user|" + TREY_VIEWER);
        b.user(new User(viewerId, TREY_TENANT_ID, TREY_VIEWER, "Vic Viewer", TREY_VIEWER_PASSWORD, false));
        String finops = WorldBuilder.stableId("group|trey-finops");
        b.group(new Group(finops, TREY_TENANT_ID, "FinOps", List.of(viewerId)));
        b.assign("/subscriptions/" + SUB_RND, "72fafb9e-0641-4937-9268-a91bfd8191a3", finops, "Group");
        b.assign("/subscriptions/" + SUB_RND, "acdd72a7-3385-48ef-bd42-f606fba81ae7", viewerId, "User");

        SyntheticWorld.addTenantContent(b, CONTOSO_TENANT_ID, List.of(CONTOSO_SUB), "Contoso Production", 3, 12,
                LocalDate.of(2024, 9, 1), 30, "EUR", 7L);
        String contosoAdmin = WorldBuilder.stableId("user|" + CONTOSO_ADMIN);
        b.user(new User(contosoAdmin, CONTOSO_TENANT_ID, CONTOSO_ADMIN, "Conrad Admin", CONTOSO_ADMIN_PASSWORD, true));
        b.assign("/subscriptions/" + CONTOSO_SUB, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", contosoAdmin, "User");

        b.platformUser(new PlatformUser("alice@canopy.example", "alice-pw", "Alice (Trey admin)",
                List.of("admin:" + TREY_TENANT_ID, "viewer:" + CONTOSO_TENANT_ID)));
        b.platformUser(new PlatformUser("tom@canopy.example", "tom-pw", "Tom (Trey tag editor)",
                List.of("tag-editor:" + TREY_TENANT_ID)));
        b.platformUser(new PlatformUser("vera@canopy.example", "vera-pw", "Vera (Contoso viewer)",
                List.of("viewer:" + CONTOSO_TENANT_ID)));
        b.platformUser(new PlatformUser("ops@canopy.example", "ops-pw", "Olly (operations)", List.of("ops")));
        return b.build();
    }

    private static void seen(Map<String, Seen> resources, String id, String location, Map<String, String> tags, LocalDate date) {
        Seen s = resources.computeIfAbsent(ArmResourceId.lenientKey(id), k -> new Seen());
        // Prefer the spelling with mixed case: cost data often lower-cases ids, Azure itself does not.
        if (s.id == null || (s.id.equals(s.id.toLowerCase(Locale.ROOT)) && !id.equals(id.toLowerCase(Locale.ROOT))
                && !id.equals(id.toUpperCase(Locale.ROOT)))) {
            s.id = id;
        }
        if (s.location == null || s.location.isEmpty()) {
            s.location = location;
        }
        if (s.last == null || !date.isBefore(s.last)) {
            s.last = date;
            s.tags = tags;
        }
        if (s.first == null || date.isBefore(s.first)) {
            s.first = date;
        }
    }

    /**
     * Azure gives every resource group and regional resource a location, but an export row may leave it empty (the EA
     * samples' one key vault): such a resource takes the location of another resource of its group, else of its
     * subscription, so that the world never serves a blank location (Canopy's events refuse one, as ARM never sends it).
     */
    private static void fillMissingLocations(Collection<Seen> resources) {
        for (Seen s : resources) {
            if (s.location != null && !s.location.isBlank()) {
                continue;
            }
            ArmResourceId arm = ArmResourceId.parse(s.id);
            s.location = resources.stream().filter(o -> o.location != null && !o.location.isBlank())
                    .filter(o -> ArmResourceId.parse(o.id).subscriptionId().equalsIgnoreCase(arm.subscriptionId()))
                    .sorted(Comparator.comparing(o -> !ArmResourceId.parse(o.id).resourceGroup()
                            .equalsIgnoreCase(arm.resourceGroup())))
                    .map(o -> o.location).findFirst().orElse("global");
        }
    }

    /**
     * Parses a cost export's Tags column: FOCUS holds a JSON object, EA exports the members without the outer braces.
     * Names differing only in case collapse as ARM would.
     */
    static Map<String, String> parseTags(String column, boolean focus) {
        if (column == null || column.isBlank() || column.equals("NULL")) {
            return Map.of();
        }
        String json = focus ? column : "{" + column + "}";
        try {
            Map<String, Object> raw = Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            Map<String, String> tags = new LinkedHashMap<>();
            raw.forEach((k, v) -> tags.put(k, v == null ? "" : String.valueOf(v)));
            return TagSetOperations.replace(Map.of(), tags);
        } catch (IOException e) {
            throw new UncheckedIOException("bad Tags column: " + column, e);
        }
    }

    private static List<Map<String, String>> csv(String name) {
        try (InputStream in = SampleWorld.class.getResourceAsStream(SAMPLES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing sample " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            CsvMapper mapper = new CsvMapper();
            try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
                List<Map<String, String>> rows = new ArrayList<>();
                it.forEachRemaining(rows::add);
                return rows;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample " + name, e);
        }
    }
}
