package dev.canopy.cost;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SpendSnapshot.CostType;
import dev.canopy.events.TagSnapshot;

/**
 * A synthetic tenant for the spend tests, and the totals its spend must add up to — computed here, in Java, from the
 * events published, independently of cost-service's SQL.
 *
 * <p>Subscription 1 bills in EUR (one resource also has USD marketplace charges), subscription 2 in USD. Spend names
 * resources in another casing than the inventory does. Tag key CostCenter is spelled three ways; one resource relies
 * on its resource group's tag; one resource group has no tags; one resource is in the spend only, not in the
 * inventory; one charge has no resource at all.
 */
final class SpendWorld {

    static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 1);
    static final int DAYS = 5;
    static final LocalDate LAST_DAY = FIRST_DAY.plusDays(DAYS - 1);

    /** A resource group as the inventory and canopy.tags know it. */
    record Group(String displayId, String subscriptionId, String name, String location, Map<String, String> tags) {
    }

    /**
     * A resource: its id as the inventory spells it and as the spend spells it, and what it is billed for.
     *
     * @param tags its tags, or {@code null} when canopy.tags has no snapshot of it
     * @param inInventory whether canopy.resources has it
     */
    record Resource(String displayId, String spendId, String subscriptionId, String spendGroup, String location,
            String type, String service, Map<String, String> tags, boolean inInventory, List<String> currencies) {
    }

    /** One spend line with the snapshot it came in. */
    record Fact(SpendSnapshot snapshot, SpendLine line) {
    }

    final String tenantId;
    final String subscription1;
    final String subscription2;
    final List<Group> groups = new ArrayList<>();
    final List<Resource> resources = new ArrayList<>();
    /** The latest spend snapshot per Kafka key: what the service must hold. */
    final Map<String, SpendSnapshot> latestSpend = new LinkedHashMap<>();
    private final Random random;

    SpendWorld(long seed) {
        random = new Random(seed);
        tenantId = guid();
        subscription1 = guid();
        subscription2 = guid();
        String s1 = "/subscriptions/" + subscription1;
        String s2 = "/subscriptions/" + subscription2;
        groups.add(new Group(s1 + "/resourceGroups/RG-App", subscription1, "RG-App", "westeurope",
                Map.of("CostCenter", "1234")));
        groups.add(new Group(s1 + "/resourceGroups/rg-data", subscription1, "rg-data", "westeurope", Map.of()));
        groups.add(new Group(s2 + "/resourceGroups/Shared", subscription2, "Shared", "eastus",
                Map.of("COSTCENTER", "9999")));
        resource(s1 + "/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/VM-1", "RG-APP",
                "WestEurope", "Virtual Machines", tags("CostCenter", "1234"), true, List.of("EUR", "USD"));
        resource(s1 + "/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/VM-2", "RG-APP",
                "northeurope", "Virtual Machines", tags("costcenter", "5678", "env", "prod"), true, List.of("EUR"));
        resource(s1 + "/resourceGroups/RG-App/providers/Microsoft.Storage/storageAccounts/stor1", "rg-app",
                "westeurope", "Storage", tags("env", "dev"), true, List.of("EUR"));
        resource(s1 + "/resourceGroups/rg-data/providers/Microsoft.Sql/servers/SQL-1", "rg-data", "westeurope",
                "SQL Database", null, true, List.of("EUR"));
        resource(s1 + "/resourceGroups/rg-data/providers/Microsoft.Web/sites/Ghost", "RG-DATA", null,
                "App Service", null, false, List.of("EUR"));
        resource(s2 + "/resourceGroups/Shared/providers/Microsoft.Web/sites/Web-1", "SHARED", "eastus",
                "App Service", tags("COSTCENTER", "1234"), true, List.of("USD"));
        resource(s2 + "/resourceGroups/Shared/providers/Microsoft.Web/sites/Web-2", "shared", "eastus",
                "App Service", tags(), true, List.of("USD"));
        for (CostType costType : CostType.values()) {
            for (int d = 0; d < DAYS; d++) {
                for (String subscription : List.of(subscription1, subscription2)) {
                    put(snapshot(subscription, FIRST_DAY.plusDays(d), costType, 1));
                }
            }
        }
    }

    private void resource(String displayId, String spendGroup, String location, String service,
            Map<String, String> tags, boolean inInventory, List<String> currencies) {
        String subscription = displayId.split("/")[2];
        // Cost data spells ids its own way: lower-cased here, with the group as the cost source names it.
        String spendId = displayId.toLowerCase(Locale.ROOT);
        String type = displayId.split("/providers/")[1].replaceAll("/[^/]+$", "");
        resources.add(new Resource(displayId, spendId, subscription, spendGroup, location, type, service, tags,
                inInventory, currencies));
    }

    private static Map<String, String> tags(String... pairs) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            tags.put(pairs[i], pairs[i + 1]);
        }
        return tags;
    }

    private String guid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /**
     * A snapshot of one subscription's day with fresh random amounts: two lines per resource and currency, and in
     * subscription 1 a charge without a resource. {@code scale} multiplies the line count (a restatement may have more).
     */
    SpendSnapshot snapshot(String subscription, LocalDate day, CostType costType, int scale) {
        List<SpendLine> lines = new ArrayList<>();
        for (int n = 0; n < scale; n++) {
            for (Resource r : resources) {
                if (!r.subscriptionId().equals(subscription)) {
                    continue;
                }
                for (String currency : r.currencies()) {
                    lines.add(new SpendLine(null, r.spendId(), r.spendGroup(), r.service(), r.service(), amount(),
                            currency));
                    lines.add(new SpendLine(r.spendId(), r.spendId(), r.spendGroup(), r.service(), "Bandwidth",
                            amount(), currency));
                }
            }
            if (subscription.equals(subscription1)) {
                lines.add(new SpendLine(null, null, null, "Support", "Support", amount(), "EUR"));
            }
        }
        return new SpendSnapshot(UUID.randomUUID(), Instant.now(), tenantId, subscription, day, costType,
                SpendSnapshot.Source.COST_MANAGEMENT, lines, UUID.randomUUID());
    }

    // Up to 12 digits after the point, as Cost Management returns them: a double would not keep these exactly.
    private BigDecimal amount() {
        return new BigDecimal(BigInteger.valueOf(1 + (random.nextLong() & 0xFFFFFFFFFFL)), 12);
    }

    /** Records a snapshot as the latest of its key. */
    SpendSnapshot put(SpendSnapshot snapshot) {
        latestSpend.put(snapshot.kafkaKey(), snapshot);
        return snapshot;
    }

    /** Every inventory event: resource groups and resources, then their tags. */
    List<CanopyEvent> inventoryEvents() {
        List<CanopyEvent> events = new ArrayList<>();
        Instant observed = Instant.now();
        for (Group g : groups) {
            events.add(new ResourceSnapshot(UUID.randomUUID(), observed, tenantId, g.subscriptionId(),
                    g.displayId(), g.displayId(), ResourceSnapshot.Kind.RESOURCE_GROUP, g.name(),
                    "Microsoft.Resources/resourceGroups", g.location(), g.name(), null, null, "fp", UUID.randomUUID(),
                    observed));
            events.add(tagSnapshot(g.displayId(), g.subscriptionId(), g.tags(), observed));
        }
        for (Resource r : resources) {
            if (r.inInventory()) {
                events.add(resourceSnapshot(r, observed));
            }
            if (r.tags() != null) {
                events.add(tagSnapshot(r.displayId(), r.subscriptionId(), r.tags(), observed));
            }
        }
        return events;
    }

    ResourceSnapshot resourceSnapshot(Resource r, Instant observed) {
        String name = r.displayId().substring(r.displayId().lastIndexOf('/') + 1);
        String group = r.displayId().split("/")[4];
        return new ResourceSnapshot(UUID.randomUUID(), observed, tenantId, r.subscriptionId(), r.displayId(),
                r.displayId(), ResourceSnapshot.Kind.RESOURCE, name, r.type(), r.location(), group, null, null, "fp",
                UUID.randomUUID(), observed);
    }

    TagSnapshot tagSnapshot(String displayId, String subscription, Map<String, String> tags, Instant observed) {
        return new TagSnapshot(UUID.randomUUID(), observed, tenantId, subscription, displayId, displayId, tags,
                "fp-" + tags.hashCode(), UUID.randomUUID(), observed);
    }

    Resource resource(String nameSuffix) {
        return resources.stream().filter(r -> r.displayId().endsWith("/" + nameSuffix)).findFirst().orElseThrow();
    }

    /** The resource as it is after a change in Azure; {@code tags} null and not in the inventory once deleted. */
    Resource change(Resource old, String location, Map<String, String> tags, boolean inInventory) {
        Resource changed = new Resource(old.displayId(), old.spendId(), old.subscriptionId(), old.spendGroup(),
                location, old.type(), old.service(), tags, inInventory, old.currencies());
        resources.set(resources.indexOf(old), changed);
        return changed;
    }

    /** A snapshot of a day without spend: a restatement may take a day's spend away. */
    SpendSnapshot emptyDay(String subscription, LocalDate day, CostType costType) {
        return new SpendSnapshot(UUID.randomUUID(), Instant.now(), tenantId, subscription, day, costType,
                SpendSnapshot.Source.COST_MANAGEMENT, List.of(), UUID.randomUUID());
    }

    // ---- the expected answers, computed from the events alone ----

    /** The facts of the latest snapshots of one cost type from {@code from} to {@code to}. */
    Stream<Fact> facts(CostType costType, LocalDate from, LocalDate to) {
        return latestSpend.values().stream()
                .filter(s -> s.costType() == costType && !s.usageDate().isBefore(from) && !s.usageDate().isAfter(to))
                .flatMap(s -> s.lines().stream().map(line -> new Fact(s, line)));
    }

    /** Sums the facts per group key and currency; a null key is the group of spend without one. */
    static Map<String, Map<String, BigDecimal>> sum(Stream<Fact> facts, Function<Fact, String> groupOf) {
        Map<String, Map<String, BigDecimal>> sums = new HashMap<>();
        facts.forEach(f -> sums.computeIfAbsent(groupOf.apply(f), k -> new HashMap<>())
                .merge(f.line().currency(), f.line().amount(), BigDecimal::add));
        return normalized(sums);
    }

    /** Amounts compared by value: 1.50 and 1.5 are the same amount. */
    static Map<String, Map<String, BigDecimal>> normalized(Map<String, Map<String, BigDecimal>> sums) {
        Map<String, Map<String, BigDecimal>> out = new HashMap<>();
        sums.forEach((group, byCurrency) -> {
            Map<String, BigDecimal> copy = new HashMap<>();
            byCurrency.forEach((currency, amount) -> copy.put(currency, amount.stripTrailingZeros()));
            out.put(group, copy);
        });
        return out;
    }

    /** The group of a fact for a {@code groupBy} other than a tag. */
    String groupOf(String groupBy, Fact f) {
        SpendLine line = f.line();
        String id = line.displayResourceId() == null ? null : line.displayResourceId().toLowerCase(Locale.ROOT);
        return switch (groupBy) {
            case "subscription" -> f.snapshot().subscriptionId();
            case "resourceGroup" -> line.resourceGroup() == null ? null
                    : ("/subscriptions/" + f.snapshot().subscriptionId() + "/resourcegroups/" + line.resourceGroup())
                            .toLowerCase(Locale.ROOT);
            case "service" -> line.serviceName();
            case "resource" -> id;
            case "location" -> resources.stream().filter(r -> r.inInventory() && r.spendId().equals(id))
                    .map(r -> r.location().toLowerCase(Locale.ROOT)).findFirst().orElse(null);
            case "day" -> f.snapshot().usageDate().toString();
            default -> throw new IllegalArgumentException(groupBy);
        };
    }

    /**
     * The group of a fact for {@code tag:{key}} and the spelling that decided it: "value|source|spelling" — the
     * resource's own tag (key in any casing), else its resource group's, else "null|none|null".
     */
    String tagOf(String key, Fact f, Map<String, Map<String, String>> tagsById) {
        SpendLine line = f.line();
        if (line.displayResourceId() != null) {
            String id = line.displayResourceId().toLowerCase(Locale.ROOT);
            String own = find(tagsById.get(id), key, "resource");
            if (own != null) {
                return own;
            }
            String group = ("/subscriptions/" + f.snapshot().subscriptionId() + "/resourcegroups/"
                    + line.resourceGroup()).toLowerCase(Locale.ROOT);
            String inherited = find(tagsById.get(group), key, "resourceGroup");
            if (inherited != null) {
                return inherited;
            }
        }
        return "null|none|null";
    }

    private static String find(Map<String, String> tags, String key, String source) {
        if (tags == null) {
            return null;
        }
        return tags.entrySet().stream().filter(t -> t.getKey().equalsIgnoreCase(key)).findFirst()
                .map(t -> t.getValue() + "|" + source + "|" + t.getKey()).orElse(null);
    }

    /** Spend of the range per "tagValue|tagSource" (the resource's own value, else its group's) and currency. */
    Map<String, Map<String, BigDecimal>> tagSums(String key, CostType costType, LocalDate from, LocalDate to) {
        Map<String, Map<String, String>> tags = tagsById();
        return sum(facts(costType, from, to), f -> tagOf(key, f, tags).replaceAll("\\|[^|]*$", ""));
    }

    /** The spellings of the key per "tagValue|tagSource" group, sorted; none for the group without the tag. */
    Map<String, Set<String>> tagSpellings(String key, CostType costType, LocalDate from, LocalDate to) {
        Map<String, Map<String, String>> tags = tagsById();
        Map<String, Set<String>> spellings = new HashMap<>();
        facts(costType, from, to).forEach(f -> {
            String[] pick = tagOf(key, f, tags).split("\\|");
            Set<String> found = spellings.computeIfAbsent(pick[0] + "|" + pick[1], g -> new TreeSet<>());
            if (!pick[2].equals("null")) {
                found.add(pick[2]);
            }
        });
        return spellings;
    }

    /** The current tags of every resource and group, by lower-cased id. */
    Map<String, Map<String, String>> tagsById() {
        Map<String, Map<String, String>> byId = new HashMap<>();
        groups.forEach(g -> byId.put(g.displayId().toLowerCase(Locale.ROOT), g.tags()));
        resources.stream().filter(r -> r.tags() != null)
                .forEach(r -> byId.put(r.displayId().toLowerCase(Locale.ROOT), r.tags()));
        return byId;
    }
}
