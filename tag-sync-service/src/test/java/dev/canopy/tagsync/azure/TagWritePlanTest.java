package dev.canopy.tagsync.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.azure.TagViolation;

/** The call a write sends and the result it expects, without Azure: spelling, rules, and what counts as held. */
class TagWritePlanTest {

    private static final String ARM = "https://management.azure.com/";
    private static final String VM = "/subscriptions/73c0021f-a37d-433f-8baa-7450cb54eea6/resourceGroups/gekko/"
            + "providers/Microsoft.Compute/virtualMachines/GekkoPower";

    @Test
    void theCallIsTheTagsApiPatchWithTheOperationAndTagsInOrder() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("b", "2");
        tags.put("a", "x/y");

        TagsApiRequest call = TagsApiRequest.of(ARM, "/" + VM, TagOperation.MERGE, tags);

        assertThat(call.method()).isEqualTo("PATCH");
        assertThat(call.url()).isEqualTo("https://management.azure.com" + VM
                + "/providers/Microsoft.Resources/tags/default?api-version=2021-04-01");
        assertThat(call.body()).containsExactly(Map.entry("operation", "Merge"),
                Map.entry("properties", Map.of("tags", tags)));
        assertThat(TagWritePlan.of(ARM, VM, TagOperation.MERGE, tags, Map.of()).sentTags().keySet()).containsExactly("b", "a");
    }

    @Test
    void segmentsThatAUrlCannotHoldAsTheyAreArePercentEncoded() {
        String group = "/subscriptions/73c0021f-a37d-433f-8baa-7450cb54eea6/resourceGroups/rg (prod) ü";

        assertThat(TagsApiRequest.url(ARM, group)).isEqualTo("https://management.azure.com/subscriptions/"
                + "73c0021f-a37d-433f-8baa-7450cb54eea6/resourceGroups/rg%20(prod)%20%C3%BC"
                + "/providers/Microsoft.Resources/tags/default?api-version=2021-04-01");
    }

    @Test
    void mergeAndDeleteUseAzuresSpellingReplaceSendsWhatWasAsked() {
        Map<String, String> held = Map.of("CostCenter", "1000");

        TagWritePlan merge = TagWritePlan.of(ARM, VM, TagOperation.MERGE, Map.of("COSTCENTER", "2000"), held);
        TagWritePlan delete = TagWritePlan.of(ARM, VM, TagOperation.DELETE, Map.of("costCenter", ""), held);
        TagWritePlan replace = TagWritePlan.of(ARM, VM, TagOperation.REPLACE, Map.of("costcenter", "3000"), held);

        assertThat(merge.sentTags()).containsExactly(Map.entry("CostCenter", "2000"));
        assertThat(merge.expected()).containsExactly(Map.entry("CostCenter", "2000"));
        assertThat(delete.sentTags()).containsExactly(Map.entry("CostCenter", ""));
        assertThat(delete.expected()).isEmpty();
        assertThat(replace.sentTags()).containsExactly(Map.entry("costcenter", "3000"));
    }

    @Test
    void twoRequestedNamesThatDifferOnlyInCaseAreRefusedNotMerged() {
        Map<String, String> twins = new LinkedHashMap<>();
        twins.put("env", "prod");
        twins.put("ENV", "dev");

        TagWritePlan plan = TagWritePlan.of(ARM, VM, TagOperation.MERGE, twins, Map.of());

        assertThat(plan.sendable()).isFalse();
        assertThat(plan.violations()).extracting(TagViolation::rule).containsExactly(TagViolation.Rule.NAME_NOT_UNIQUE);
        assertThat(plan.violationsText()).startsWith("DuplicateTagNames: ");
    }

    @Test
    void heldMeansWhatTheWriteNamedNotTheWholeSet() {
        TagWritePlan merge = TagWritePlan.of(ARM, VM, TagOperation.MERGE, Map.of("env", "prod"), Map.of());
        TagWritePlan delete = TagWritePlan.of(ARM, VM, TagOperation.DELETE, Map.of("env", "", "team", "x"),
                Map.of("env", "prod", "team", "x"));
        TagWritePlan replace = TagWritePlan.of(ARM, VM, TagOperation.REPLACE, Map.of("env", "prod"), Map.of("a", "1"));

        // Someone else's tag beside a merge is fine; the value must match byte for byte, names ignoring case.
        assertThat(merge.isHeldBy(Map.of("ENV", "prod", "owner", "alice"))).isTrue();
        assertThat(merge.missing(Map.of("env", "Prod"))).containsExactly("env");
        assertThat(delete.isHeldBy(Map.of("owner", "alice"))).isTrue();
        assertThat(delete.isHeldBy(Map.of("team", "y"))).isTrue();
        assertThat(delete.missing(Map.of("Env", "prod"))).containsExactly("env");
        assertThat(replace.isHeldBy(Map.of("env", "prod"))).isTrue();
        assertThat(replace.missing(Map.of("env", "prod", "a", "1"))).containsExactly("a");
    }
}
