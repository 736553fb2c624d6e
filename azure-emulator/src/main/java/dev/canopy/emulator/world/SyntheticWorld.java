package dev.canopy.emulator.world;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.server.Json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of large worlds: tenants × subscriptions × resources × days of cost. The same parameters
 * always give the same world. Each tenant has an admin who owns every subscription; with {@code preconsented},
 * Canopy's service principal already exists there with Tag Contributor and Cost Management Reader on each
 * subscription (the state after onboarding), so collector tests and benchmarks can start right away.
 */
public final class SyntheticWorld {

    /**
     * The generator's parameters.
     *
     * @param currency billing currency of every subscription ("USD", "EUR", ...)
     */
    public record Parameters(long seed, int tenants, int subscriptionsPerTenant, int resourceGroupsPerSubscription,
                             int resourcesPerSubscription, int days, LocalDate firstDay, String currency,
                             boolean preconsented) {
        public static Parameters small() {
            return new Parameters(42, 2, 2, 3, 20, 7, LocalDate.of(2024, 9, 1), "USD", true);
        }
    }

    /** Resource types with their ARM names; two of them are limited to 15 tags. */
    private static final String[][] TYPES = {
            {"Microsoft.Compute/virtualMachines", "vm"}, {"Microsoft.Storage/storageAccounts", "st"},
            {"Microsoft.Network/virtualNetworks", "vnet"}, {"Microsoft.Sql/servers", "sql"},
            {"Microsoft.Web/sites", "app"}, {"Microsoft.KeyVault/vaults", "kv"},
            {"Microsoft.Network/dnszones", "zone"}, {"Microsoft.Automation/automationAccounts", "aa"}};
    private static final String[] SERVICES = {"Virtual Machines", "Storage", "Virtual Network", "SQL Database",
            "Azure App Service", "Key Vault", "Azure DNS", "Automation"};
    private static final String[] LOCATIONS = {"westeurope", "eastus", "northeurope", "westus2"};
    private static final String[] TAG_KEYS = {"env", "CostCenter", "owner", "project", "app"};
    private static final String[] TAG_VALUES = {"prod", "dev", "test", "1234", "5678", "alice", "bob", "phoenix", "atlas"};

    private SyntheticWorld() {
    }

    public static WorldSpec generate(Parameters p) {
        WorldBuilder b = WorldBuilder.withCanopy();
        Random random = new Random(p.seed());
        for (int t = 0; t < p.tenants(); t++) {
            String tenantId = WorldBuilder.stableId("synthetic-tenant|" + p.seed() + "|" + t);
            String domain = "tenant" + t + ".example";
            b.tenant(new Tenant(tenantId, "Synthetic Tenant " + t, domain, "DE"));
            String admin = WorldBuilder.stableId("synthetic-admin|" + tenantId);
            b.user(new User(admin, tenantId, "admin@" + domain, "Admin " + t, "admin-" + t, true));
            List<String> subs = new java.util.ArrayList<>();
            for (int s = 0; s < p.subscriptionsPerTenant(); s++) {
                subs.add(WorldBuilder.stableId("synthetic-sub|" + tenantId + "|" + s));
            }
            addTenantContent(b, tenantId, subs, "Synthetic " + t, p.resourceGroupsPerSubscription(),
                    p.resourcesPerSubscription(), p.firstDay(), p.days(), p.currency(), random.nextLong());
            String sp = WorldBuilder.stableId("synthetic-sp|" + tenantId);
            if (p.preconsented()) {
                b.servicePrincipal(new ServicePrincipal(sp, tenantId, WorldBuilder.CANOPY_APP_ID, "Canopy"));
            }
            for (String sub : subs) {
                b.assign("/subscriptions/" + sub, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", admin, "User");
                if (p.preconsented()) {
                    b.assign("/subscriptions/" + sub, "4a9ae827-6dc8-4573-8ac7-8239d42aa03f", sp, "ServicePrincipal");
                    b.assign("/subscriptions/" + sub, "72fafb9e-0641-4937-9268-a91bfd8191a3", sp, "ServicePrincipal");
                }
            }
            b.platformUser(new PlatformUser("admin" + t + "@canopy.example", "admin" + t + "-pw", "Admin " + t,
                    List.of("admin:" + tenantId)));
        }
        return b.build();
    }

    /** Adds subscriptions with resource groups, tagged resources and daily costs (two cost types) to a tenant. */
    static void addTenantContent(WorldBuilder b, String tenantId, List<String> subscriptionIds, String namePrefix,
                                 int groupsPerSubscription, int resourcesPerSubscription, LocalDate firstDay, int days,
                                 String currency, long seed) {
        Random random = new Random(seed);
        int n = 0;
        for (String sub : subscriptionIds) {
            b.subscription(new Subscription(sub, tenantId, namePrefix + (subscriptionIds.size() > 1 ? " " + (n++) : ""),
                    "Enabled", Map.of("costcenter", String.valueOf(1000 + random.nextInt(9000))), null, null));
            for (int g = 0; g < groupsPerSubscription; g++) {
                Map<String, String> tags = g % 2 == 0 ? Map.of("env", TAG_VALUES[g % 3]) : null;
                b.resourceGroup(new ResourceGroup(sub, "rg-" + g, LOCATIONS[g % LOCATIONS.length], tags, null, "Succeeded"));
            }
            for (int r = 0; r < resourcesPerSubscription; r++) {
                int typeIndex = random.nextInt(TYPES.length);
                String[] type = TYPES[typeIndex];
                String[] ns = type[0].split("/", 2);
                String rg = "rg-" + random.nextInt(Math.max(1, groupsPerSubscription));
                String name = type[1] + "-" + r;
                String id = "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + ns[0] + "/" + ns[1] + "/" + name;
                Map<String, String> tags = new LinkedHashMap<>();
                int tagCount = random.nextInt(4);
                for (int k = 0; k < tagCount; k++) {
                    tags.put(TAG_KEYS[random.nextInt(TAG_KEYS.length)], TAG_VALUES[random.nextInt(TAG_VALUES.length)]);
                }
                String location = LOCATIONS[random.nextInt(LOCATIONS.length)];
                ObjectNode sku = null;
                if (typeIndex == 1) {
                    sku = Json.object().put("name", "Standard_LRS").put("tier", "Standard");
                }
                b.resource(new Resource(id, location, tags, typeIndex == 1 ? "StorageV2" : null, sku, null, null,
                        firstDay.atStartOfDay().toInstant(ZoneOffset.UTC), firstDay.atStartOfDay().toInstant(ZoneOffset.UTC)));
                double daily = 0.5 + random.nextDouble() * 40;
                for (int d = 0; d < days; d++) {
                    BigDecimal actual = BigDecimal.valueOf(daily * (0.8 + random.nextDouble() * 0.4)).setScale(6, RoundingMode.HALF_UP);
                    BigDecimal amortized = actual.multiply(BigDecimal.valueOf(0.9)).setScale(6, RoundingMode.HALF_UP);
                    LocalDate date = firstDay.plusDays(d);
                    for (Object[] cost : new Object[][]{{"ActualCost", actual}, {"AmortizedCost", amortized}}) {
                        b.cost(new CostEntry(date, sub, rg, id, type[0], location, SERVICES[typeIndex], SERVICES[typeIndex],
                                "Usage", "OnDemand", (String) cost[0], (BigDecimal) cost[1], currency, tags));
                    }
                }
            }
        }
    }
}
