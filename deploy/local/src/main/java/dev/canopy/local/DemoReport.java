package dev.canopy.local;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.canopy.events.policy.SyncPolicy;

/**
 * What the demo found, every figure as the services' APIs answered it (never recomputed here), and how it prints as
 * the summary.
 *
 * @param tenantId the sample tenant the demo onboarded
 * @param tenants every tenant consent-service knows, with its state
 * @param onboarding the onboarding session's outcome per subscription
 * @param subscriptions per subscription: consent-service's state and policy, collector-service's last run
 * @param tags per onboarded subscription: its resources with spend and their tags as collected (tag-sync-service)
 * @param spendBySubscription ACTUAL and AMORTIZED spend per subscription (cost-service)
 * @param tagKey the tag key spend is grouped by
 * @param spendByTag ACTUAL spend per value of {@code tagKey}
 * @param unallocated ACTUAL spend of resources without {@code tagKey}
 * @param edits the three tag edits and their outcomes
 * @param swaggerUi each service's Swagger UI
 * @param logs each part's log file
 */
public record DemoReport(String tenantId, List<Tenant> tenants, List<OnboardingOutcome> onboarding,
        List<SubscriptionStatus> subscriptions, Map<String, CollectedTags> tags, Map<String, Spend> spendBySubscription, String tagKey, Spend spendByTag,
        Spend unallocated, List<Edit> edits, Map<String, String> swaggerUi, Map<String, String> logs) {

    // Under this policy Canopy keeps no tags: tag-sync tombstones what it had collected, so the tags section shows
    // none where the edit section shows what was collected before the switch.
    private static final String NO_TAGS = SyncPolicy.NO_TAGS.name();

    /** A tenant as consent-service lists it. */
    public record Tenant(String tenantId, String state, int subscriptions) {
    }

    /** One subscription's outcome of the onboarding session. */
    public record OnboardingOutcome(String subscriptionId, String displayName, String outcome, String reason) {
    }

    /**
     * One subscription: consent-service's view, and collector-service's last run.
     *
     * @param resourcesSeen resources and resource groups the last run listed
     */
    public record SubscriptionStatus(String subscriptionId, String displayName, String state, String policy,
            String collection, long resourcesSeen, long snapshotsPublished, String spendState) {
    }

    /**
     * The tags Canopy collected in one subscription, over its resources with spend.
     *
     * @param resources resources with spend (cost-service)
     * @param tagged those with at least one collected tag (tag-sync-service)
     * @param tags collected tags on them in all
     */
    public record CollectedTags(int resources, int tagged, int tags) {
    }

    /** A spend answer of cost-service over the demo's period: totals per currency and groups. */
    public record Spend(String costType, LocalDate from, LocalDate to, Map<String, BigDecimal> totals,
            List<SpendGroup> groups) {

        /** The group with this key (and, for tag groupings, this source), if any. */
        public Optional<SpendGroup> group(String key, String tagSource) {
            return groups.stream().filter(g -> Objects.equals(g.key(), key)
                    && (tagSource == null || tagSource.equals(g.tagSource()))).findFirst();
        }
    }

    /** One group of a spend answer. */
    public record SpendGroup(String key, String label, String tagSource, Map<String, BigDecimal> totals) {
    }

    /**
     * One tag edit: where, under which policy, its outcome, and what Azure (the emulator) and Canopy hold afterwards.
     *
     * @param collectedTags the resource's tags as collected before the policy changes (tag-sync's view of canopy.tags)
     * @param azureTags the resource's tags in Azure after the outcome
     * @param platformTags Canopy's platform tags of the resource after the outcome
     */
    public record Edit(String subscriptionId, String policy, String resourceId, Map<String, String> tags, String editId,
            String outcome, String reason, Map<String, String> collectedTags, Map<String, String> azureTags,
            Map<String, String> platformTags) {

        /** Whether Azure holds every tag of the edit. */
        public boolean inAzure() {
            return tags.entrySet().stream().allMatch(t -> t.getValue().equals(azureTags.get(t.getKey())));
        }

        /** Whether Canopy's platform tags hold every tag of the edit. */
        public boolean inCanopy() {
            return tags.entrySet().stream().allMatch(t -> t.getValue().equals(platformTags.get(t.getKey())));
        }
    }

    public void print(PrintStream out) {
        out.println();
        out.println("==================================== Canopy local demo: summary ====================================");
        out.println("Tenants (consent-service):");
        tenants.forEach(t -> out.printf("  %s  %-10s %d subscriptions%s%n", t.tenantId(), t.state(), t.subscriptions(),
                t.tenantId().equals(tenantId) ? "  <- onboarded by the demo" : ""));
        out.println("Subscriptions (consent-service policy and state; collector-service's last run):");
        out.printf("  %-36s  %-28s %-9s %-16s %-10s %9s %9s  %s%n", "subscription", "name", "state", "policy",
                "collection", "resources", "snapshots", "spend");
        subscriptions.forEach(s -> out.printf("  %-36s  %-28s %-9s %-16s %-10s %9d %9d  %s%n", s.subscriptionId(),
                abbreviate(s.displayName(), 28), s.state(), nullToDash(s.policy()), nullToDash(s.collection()),
                s.resourcesSeen(), s.snapshotsPublished(), nullToDash(s.spendState())));
        out.println("Tags collected (tag-sync-service, resources with spend):");
        tags.forEach((id, t) -> out.printf("  %-36s  %-28s %d of %d resources tagged, %d tags%s%n", id,
                abbreviate(displayName(id), 28), t.tagged(), t.resources(), t.tags(),
                NO_TAGS.equals(policy(id)) ? " (tags removed from Canopy when the policy became " + NO_TAGS + ")" : ""));
        Spend actual = spendBySubscription.get("ACTUAL");
        Spend amortized = spendBySubscription.get("AMORTIZED");
        out.printf("Spend per subscription (cost-service, %s .. %s):%n", actual.from(), actual.to());
        out.printf("  %-36s  %-28s %-24s %s%n", "subscription", "name", "actual", "amortized");
        for (SpendGroup group : actual.groups()) {
            out.printf("  %-36s  %-28s %-24s %s%n", group.key(), abbreviate(displayName(group.key()), 28),
                    money(group.totals()),
                    amortized.group(group.key(), null).map(g -> money(g.totals())).orElse("-"));
        }
        out.printf("  %-36s  %-28s %-24s %s%n", "total", "", money(actual.totals()), money(amortized.totals()));
        out.printf("Actual spend by tag %s (a resource's own tag, else its resource group's):%n", tagKey);
        spendByTag.groups().forEach(g -> out.printf("  %-24s %-14s %s%n", g.key() == null ? "(untagged)" : g.key(),
                g.tagSource(), money(g.totals())));
        out.printf("Unallocated actual spend (no %s tag): %s on %d resources%n", tagKey, money(unallocated.totals()),
                unallocated.groups().size());
        out.println("Tag edits (tag-sync-service):");
        edits.forEach(e -> {
            out.printf("  %-16s %s%n", e.policy(), e.resourceId());
            out.printf("  %-16s edit %s -> %s%s%n", "", e.tags(), e.outcome(), e.reason() == null ? "" : " (" + e.reason() + ")");
            out.printf("  %-16s collected%s: %d tags; after the edit in Azure: %s, in Canopy's platform tags: %s%n", "",
                    NO_TAGS.equals(e.policy()) ? " before the switch to " + NO_TAGS : "", e.collectedTags().size(),
                    e.inAzure() ? "yes" : "no", e.inCanopy() ? "yes" : "no");
        });
        out.println("Swagger UI:");
        swaggerUi.forEach((service, url) -> out.printf("  %-18s %s%n", service, url));
        out.println("Logs:");
        logs.forEach((part, file) -> out.printf("  %-18s %s%n", part, file));
        out.println("====================================================================================================");
    }

    /** A subscription's display name as consent-service knows it, or "". */
    public String displayName(String subscriptionId) {
        return subscription(subscriptionId).map(SubscriptionStatus::displayName).orElse("");
    }

    /** A subscription's sync policy as consent-service knows it, or null. */
    public String policy(String subscriptionId) {
        return subscription(subscriptionId).map(SubscriptionStatus::policy).orElse(null);
    }

    private Optional<SubscriptionStatus> subscription(String subscriptionId) {
        return subscriptions.stream().filter(s -> s.subscriptionId().equalsIgnoreCase(String.valueOf(subscriptionId)))
                .findFirst();
    }

    static String money(Map<String, BigDecimal> totals) {
        if (totals.isEmpty()) {
            return "0";
        }
        return totals.entrySet().stream().map(e -> e.getValue().setScale(Math.min(e.getValue().scale(), 6),
                RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    private static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String nullToDash(String text) {
        return text == null ? "-" : text;
    }
}
