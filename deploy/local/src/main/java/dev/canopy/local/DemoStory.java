package dev.canopy.local;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.AzureTagRules;

/**
 * The demo's story, told against a running local stack through the services' APIs as their users would:
 * <ol>
 *   <li>a platform admin opens an onboarding session and the sample tenant's Azure admin consents in a browser;</li>
 *   <li>collection runs; resources, tags and spend appear;</li>
 *   <li>one subscription is switched to Read Tags Only and one to No Tags, and the same tag edit is made on a
 *       resource of each and of a Read/Write subscription;</li>
 *   <li>once every consumer has caught up, the summary's figures are read from the APIs.</li>
 * </ol>
 */
public final class DemoStory {

    /** The tag key the summary groups spend by: the sample data's cost-center tag. */
    public static final String TAG_KEY = "CostCenter";
    /** The edit made on each of the three subscriptions. */
    public static final Map<String, String> EDIT = Map.of("demo-owner", "finops-team");
    public static final String ADMIN = "alice@canopy.example";
    public static final String TAG_EDITOR = "tom@canopy.example";
    private static final Map<String, String> PASSWORDS = Map.of(ADMIN, "alice-pw", TAG_EDITOR, "tom-pw");
    /** The policy each owned subscription of the sample tenant ends up with. */
    public static final Map<String, String> POLICIES = Map.of(SampleWorld.SUB_RND, "READ_WRITE_TAGS",
            SampleWorld.SUB_CORPORATE, "READ_TAGS_ONLY", SampleWorld.SUB_FINANCE, "NO_TAGS");

    private static final Duration ONBOARDING = Duration.ofMinutes(2);
    private static final Duration COLLECTION = Duration.ofMinutes(6);
    private static final Duration EDIT_OUTCOME = Duration.ofMinutes(2);
    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    private static final Set<String> RUN_ENDS = Set.of("FINISHED", "PARTIAL", "ACCESS_LOST");

    private final LocalStack stack;
    private final Progress progress;
    private final StackClient api;
    private final String tenant = SampleWorld.TREY_TENANT_ID;
    private final Map<String, String> names = new LinkedHashMap<>();
    private String adminToken;
    private String editorToken;

    public DemoStory(LocalStack stack, Progress progress) {
        this.stack = stack;
        this.progress = progress;
        this.api = new StackClient(stack.sslContext());
    }

    public DemoReport run() {
        progress.step("Platform users sign in: " + ADMIN + " (admin of Trey Research), " + TAG_EDITOR + " (tag editor)");
        adminToken = api.passwordToken(stack.emulatorUrl(), ADMIN, PASSWORDS.get(ADMIN));
        editorToken = api.passwordToken(stack.emulatorUrl(), TAG_EDITOR, PASSWORDS.get(TAG_EDITOR));

        List<DemoReport.OnboardingOutcome> onboarding = onboard();
        List<String> onboarded = onboarding.stream().filter(o -> "assigned".equals(o.outcome()))
                .map(DemoReport.OnboardingOutcome::subscriptionId).toList();
        awaitCollection(onboarded);
        Map<String, String> resources = resourcesToEdit(onboarded);
        // Read before the policy changes: under No Tags the collected tags are about to be tombstoned.
        Map<String, Map<String, String>> collected = new LinkedHashMap<>();
        resources.forEach((subscription, resource) -> collected.put(subscription, strings(
                api.get(tagSync("/resources" + resource + "/tags"), editorToken).path("azureTags"))));

        List<DemoReport.Edit> edits = new ArrayList<>();
        progress.step("Policies: " + onboarded.stream().map(id -> name(id) + " -> " + policyOf(id)).toList());
        for (String subscription : onboarded) {
            if (!policyOf(subscription).equals("READ_WRITE_TAGS")) {
                api.send("PUT", consent("/subscriptions/" + subscription + "/policy"), adminToken,
                        Map.of("policy", policyOf(subscription)), 200);
            }
        }
        for (String subscription : onboarded) {
            edits.add(edit(subscription, resources.get(subscription), collected.get(subscription)));
        }

        progress.step("Waiting until every consumer has caught up with Kafka");
        try (ConsumerLag lag = new ConsumerLag(stack.bootstrapServers())) {
            lag.awaitCaughtUp(CATCH_UP);
        }
        progress.step("Reading the summary from the services' APIs");
        return report(onboarding, edits);
    }

    // ------------------------------------------------------------------------------------------------ onboarding --

    private List<DemoReport.OnboardingOutcome> onboard() {
        progress.step("Onboarding: " + ADMIN + " opens a session (POST /onboarding/sessions)");
        JsonNode session = api.send("POST", consent("/onboarding/sessions"), adminToken, null, 201);
        String consentUrl = session.path("consentUrl").asText();
        progress.detail("consent URL for the customer's Azure admin: " + consentUrl);

        progress.step("Consent: " + SampleWorld.DEMO_ADMIN + " signs in to Entra ID (the emulator) and accepts");
        ConsentBrowser browser = new ConsentBrowser(stack.sslContext());
        HttpResponse<String> back = browser.consent(consentUrl, SampleWorld.DEMO_ADMIN, SampleWorld.DEMO_ADMIN_PASSWORD);
        browser.trail().forEach(progress::detail);
        if (back.statusCode() != 202) {
            throw new IllegalStateException("the consent callback answered " + back.statusCode() + ": " + back.body());
        }

        String sessionUrl = consent("/onboarding/sessions/" + session.path("id").asText());
        JsonNode done = until("onboarding session completed", ONBOARDING, () -> api.get(sessionUrl, adminToken),
                s -> Set.of("completed", "failed").contains(s.path("state").asText()));
        if (!"completed".equals(done.path("state").asText())) {
            throw new IllegalStateException("onboarding failed: " + done);
        }
        List<DemoReport.OnboardingOutcome> outcomes = new ArrayList<>();
        for (JsonNode s : done.path("subscriptions")) {
            names.put(s.path("subscriptionId").asText(), s.path("displayName").asText());
            outcomes.add(new DemoReport.OnboardingOutcome(s.path("subscriptionId").asText(), s.path("displayName").asText(),
                    s.path("outcome").asText(), text(s, "reason")));
            progress.detail(String.format("%-28s %s%s", s.path("displayName").asText(), s.path("outcome").asText(),
                    s.hasNonNull("reason") ? " (" + s.path("reason").asText() + ")" : ""));
        }
        return outcomes;
    }

    // ------------------------------------------------------------------------------------------------ collection --

    private void awaitCollection(List<String> subscriptions) {
        progress.step("Collection: waiting for the first run of " + subscriptions.size() + " subscriptions");
        JsonNode collections = until("a finished run with spend for " + subscriptions, COLLECTION,
                () -> api.get(collector("/collections"), adminToken),
                all -> subscriptions.stream().allMatch(id -> collection(all, id).map(c -> RUN_ENDS.contains(
                        c.path("state").asText()) && !"NOT_COLLECTED".equals(c.path("spendState").asText("NOT_COLLECTED")))
                        .orElse(false)));
        for (String id : subscriptions) {
            JsonNode c = collection(collections, id).orElseThrow();
            progress.detail(String.format("%-28s run %s in %d ms: %d resources and groups, %d snapshots; spend %s (%d snapshots)",
                    c.path("displayName").asText(), c.path("state").asText(), c.path("durationMillis").asLong(),
                    c.path("resourcesSeen").asLong(), c.path("snapshotsPublished").asLong(),
                    c.path("spendState").asText(), c.path("spendSnapshotsPublished").asLong()));
        }
        try (ConsumerLag lag = new ConsumerLag(stack.bootstrapServers())) {
            lag.awaitCaughtUp(CATCH_UP);
        }
        DemoReport.Spend spend = spend("groupBy", "subscription", "ACTUAL");
        progress.detail("spend in cost-service: " + DemoReport.money(spend.totals()) + " actual over "
                + spend.groups().size() + " subscriptions since " + spend.from());
    }

    private static Optional<JsonNode> collection(JsonNode collections, String subscriptionId) {
        for (JsonNode c : collections) {
            if (c.path("subscriptionId").asText().equalsIgnoreCase(subscriptionId)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    // One resource per subscription that Azure lets Canopy tag, the first by id among those with spend.
    private Map<String, String> resourcesToEdit(List<String> subscriptions) {
        DemoReport.Spend byResource = spend("groupBy", "resource", "ACTUAL");
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String subscription : subscriptions) {
            resourcesOf(byResource, subscription)
                    .filter(g -> AzureTagRules.supportsTags(ArmResourceId.parse(g.label()).resourceType()))
                    .min(Comparator.comparing(DemoReport.SpendGroup::key))
                    .ifPresent(g -> chosen.put(subscription, g.label()));
            if (!chosen.containsKey(subscription)) {
                throw new IllegalStateException("cost-service shows no taggable resource with spend in " + subscription);
            }
        }
        return chosen;
    }

    // ----------------------------------------------------------------------------------------------------- edits --

    private DemoReport.Edit edit(String subscription, String resourceId, Map<String, String> collected) {
        String policy = policyOf(subscription);
        progress.step("Tag edit on " + name(subscription) + " (" + policy + "): " + EDIT + " on " + resourceId);
        JsonNode accepted = api.send("PATCH", tagSync("/resources" + resourceId + "/tags"), editorToken,
                Map.of("operation", "merge", "tags", EDIT), 202);
        String editId = accepted.path("editId").asText();
        JsonNode decided = until("outcome of edit " + editId, EDIT_OUTCOME,
                () -> api.get(tagSync("/tag-edits/" + editId), editorToken), e -> e.hasNonNull("outcome"));
        Map<String, String> platform = strings(api.get(tagSync("/resources" + resourceId + "/tags"), editorToken)
                .path("platformTags"));
        DemoReport.Edit edit = new DemoReport.Edit(subscription, policy, resourceId, EDIT, editId,
                decided.path("outcome").asText(), text(decided, "reason"), collected, azureTags(resourceId), platform);
        progress.detail("outcome " + edit.outcome() + (edit.reason() == null ? "" : " (" + edit.reason() + ")")
                + "; in Azure: " + (edit.inAzure() ? "yes" : "no") + "; in Canopy: " + (edit.inCanopy() ? "yes" : "no"));
        return edit;
    }

    /** The resource's tags as Azure (the emulator's world) holds them — not Canopy's view of them. */
    private Map<String, String> azureTags(String resourceId) {
        for (JsonNode resource : api.get(stack.emulatorUrl() + "/_emulator/world", null).path("resources")) {
            if (resource.path("id").asText().equalsIgnoreCase(resourceId)) {
                return strings(resource.path("tags"));
            }
        }
        throw new IllegalStateException("the emulator holds no resource " + resourceId);
    }

    // ---------------------------------------------------------------------------------------------------- report --

    private DemoReport report(List<DemoReport.OnboardingOutcome> onboarding, List<DemoReport.Edit> edits) {
        List<DemoReport.Tenant> tenants = new ArrayList<>();
        List<DemoReport.SubscriptionStatus> subscriptions = new ArrayList<>();
        JsonNode collections = api.get(collector("/collections"), adminToken);
        for (JsonNode t : api.get(consent("/tenants"), adminToken)) {
            tenants.add(new DemoReport.Tenant(t.path("tenantId").asText(), t.path("state").asText(),
                    t.path("subscriptions").size()));
            for (JsonNode s : t.path("subscriptions")) {
                String id = s.path("subscriptionId").asText();
                Optional<JsonNode> c = collection(collections, id);
                subscriptions.add(new DemoReport.SubscriptionStatus(id, s.path("displayName").asText(),
                        s.path("state").asText(), text(s, "policy"), c.map(n -> n.path("state").asText()).orElse(null),
                        c.map(n -> n.path("resourcesSeen").asLong()).orElse(0L),
                        c.map(n -> n.path("snapshotsPublished").asLong()).orElse(0L),
                        c.map(n -> n.path("spendState").asText(null)).orElse(null)));
            }
        }
        Map<String, DemoReport.Spend> bySubscription = new LinkedHashMap<>();
        for (String costType : List.of("ACTUAL", "AMORTIZED")) {
            bySubscription.put(costType, spend("groupBy", "subscription", costType));
        }
        Map<String, String> swagger = new LinkedHashMap<>();
        Map<String, String> logs = new LinkedHashMap<>();
        for (CanopyService service : CanopyService.values()) {
            swagger.put(service.module(), stack.serviceUrl(service) + "/q/swagger-ui");
            logs.put(service.module(), stack.log(service.module()).toString());
        }
        logs.put(LocalStack.EMULATOR, stack.log(LocalStack.EMULATOR).toString());
        logs.put(LocalStack.KAFKA, stack.log(LocalStack.KAFKA).toString());
        return new DemoReport(tenant, tenants, onboarding, subscriptions, collectedTags(onboarding), bySubscription, TAG_KEY,
                spend("groupBy", "tag:" + TAG_KEY, "ACTUAL"), unallocated(), edits, swagger, logs);
    }

    private Map<String, DemoReport.CollectedTags> collectedTags(List<DemoReport.OnboardingOutcome> onboarding) {
        DemoReport.Spend byResource = spend("groupBy", "resource", "ACTUAL");
        Map<String, DemoReport.CollectedTags> tags = new LinkedHashMap<>();
        for (DemoReport.OnboardingOutcome subscription : onboarding) {
            if (!"assigned".equals(subscription.outcome())) {
                continue;
            }
            List<String> resources = resourcesOf(byResource, subscription.subscriptionId()).map(DemoReport.SpendGroup::label)
                    .toList();
            int tagged = 0;
            int count = 0;
            for (String resource : resources) {
                int size = api.get(tagSync("/resources" + resource + "/tags"), adminToken).path("azureTags").size();
                tagged += size > 0 ? 1 : 0;
                count += size;
            }
            tags.put(subscription.subscriptionId(), new DemoReport.CollectedTags(resources.size(), tagged, count));
        }
        return tags;
    }

    /** The resource groups of a cost-service answer grouped by resource that belong to the subscription. */
    static Stream<DemoReport.SpendGroup> resourcesOf(DemoReport.Spend byResource, String subscriptionId) {
        String prefix = "/subscriptions/" + subscriptionId.toLowerCase(Locale.ROOT) + "/resourcegroups/";
        return byResource.groups().stream().filter(g -> g.key() != null && g.key().startsWith(prefix));
    }

    /**
     * A {@code GET /spend} answer over the whole collected period. cost-service answers at most 366 days at once, so the
     * period is asked in consecutive windows and the windows' groups are added up per key and currency.
     */
    private DemoReport.Spend spend(String parameter, String value, String costType) {
        return overPeriod("/spend", parameter, value, costType, "groups");
    }

    private DemoReport.Spend unallocated() {
        return overPeriod("/spend/unallocated", "tagKey", TAG_KEY, "ACTUAL", "resources");
    }

    private DemoReport.Spend overPeriod(String path, String parameter, String value, String costType, String groupsField) {
        LocalDate from = stack.spendSince();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, BigDecimal> totals = new TreeMap<>();
        Map<List<String>, DemoReport.SpendGroup> groups = new LinkedHashMap<>();
        for (LocalDate start = from; !start.isAfter(today); start = start.plusDays(366)) {
            LocalDate end = start.plusDays(365).isAfter(today) ? today : start.plusDays(365);
            Map<String, String> query = new LinkedHashMap<>();
            query.put("tenant", tenant);
            query.put("from", start.toString());
            query.put("to", end.toString());
            query.put("costType", costType);
            query.put(parameter, value);
            JsonNode answer = api.get(StackClient.url(cost(path), query), adminToken);
            add(totals, answer.path("totals"));
            for (JsonNode g : answer.path(groupsField)) {
                List<String> key = Arrays.asList(text(g, "key"), text(g, "tagSource"));
                DemoReport.SpendGroup known = groups.computeIfAbsent(key, k -> new DemoReport.SpendGroup(text(g, "key"),
                        text(g, "label"), text(g, "tagSource"), new TreeMap<>()));
                add(known.totals(), g.path("totals"));
            }
        }
        List<DemoReport.SpendGroup> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparing(DemoReport.SpendGroup::key, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(g -> Objects.toString(g.tagSource(), "")));
        return new DemoReport.Spend(costType, from, today, totals, sorted);
    }

    private static void add(Map<String, BigDecimal> totals, JsonNode amounts) {
        for (JsonNode amount : amounts) {
            totals.merge(amount.path("currency").asText(), new BigDecimal(amount.path("amount").asText()), BigDecimal::add);
        }
    }

    // -------------------------------------------------------------------------------------------------- plumbing --

    private <T> T until(String what, Duration within, Callable<T> read, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            await(what).atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(read.call());
                return done.test(last.get());
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("no " + what + " within " + within + "; last answer: " + last.get(), e);
        }
        return last.get();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }

    /** The policy the demo gives a subscription; one the sample world does not name keeps the default. */
    private static String policyOf(String subscriptionId) {
        return POLICIES.getOrDefault(subscriptionId, "READ_WRITE_TAGS");
    }

    private String name(String subscriptionId) {
        return names.getOrDefault(subscriptionId, subscriptionId);
    }

    private String consent(String path) {
        return stack.serviceUrl(CanopyService.CONSENT) + path;
    }

    private String collector(String path) {
        return stack.serviceUrl(CanopyService.COLLECTOR) + path;
    }

    private String tagSync(String path) {
        return stack.serviceUrl(CanopyService.TAG_SYNC) + path;
    }

    private String cost(String path) {
        return stack.serviceUrl(CanopyService.COST) + path;
    }
}
