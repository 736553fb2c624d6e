package dev.canopy.events.azure;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class TagSetOperationsTest {

    @Test
    void mergeUpdatesAKeyDifferingOnlyInCaseKeepingTheExistingSpellingAndPosition() {
        Map<String, String> existing = RealTagMaps.tags("focusAksScaleSet");

        Map<String, String> merged = TagSetOperations.merge(existing, Map.of("costcenter", "SubACM"));

        assertThat(merged).containsEntry("CostCenter", "SubACM").doesNotContainKey("costcenter").hasSameSizeAs(existing);
        assertThat(merged.keySet()).containsExactlyElementsOf(existing.keySet());
    }

    @Test
    void mergeAddsNewNamesAtTheEndAndLeavesALeadingSpaceVariantAlone() {
        Map<String, String> existing = RealTagMaps.tags("focusStorageAccountLeadingSpaceOrg");
        Map<String, String> patch = new LinkedHashMap<>();
        patch.put("ORG", "contoso");
        patch.put("Owner", "finops@contoso.example");

        Map<String, String> merged = TagSetOperations.merge(existing, patch);

        assertThat(merged).containsExactly(entry("env", "prod"), entry("org", "contoso"), entry(" org", "trey"),
                entry("Project", "Foo"), entry("CostCenter", "1234"), entry("CostAllocationTest", "Sameer"),
                entry("Owner", "finops@contoso.example"));
    }

    @Test
    void valuesWithSlashesAndCaseAreKeptByteForByte() {
        Map<String, String> existing = RealTagMaps.tags("focusStorageAccountWithParent");
        String parent = existing.get("cm-resource-parent");
        String newParent = "/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourceGroups/ftk-fabric/providers/"
                + "Microsoft.Cloud/hubs/FabricHub";

        Map<String, String> untouched = TagSetOperations.merge(existing, Map.of("env", "Prod"));
        Map<String, String> changed = TagSetOperations.merge(existing, Map.of("CM-Resource-Parent", newParent));
        Map<String, String> replaced = TagSetOperations.replace(existing, Map.of("cm-resource-parent", parent));

        assertThat(untouched.get("cm-resource-parent")).isEqualTo(parent);
        assertThat(untouched.get("env")).isEqualTo("Prod");
        assertThat(changed.get("cm-resource-parent")).isEqualTo(newParent);
        assertThat(replaced).containsExactly(entry("cm-resource-parent", parent));
    }

    @Test
    void replaceSwapsTheWholeSetAndCollapsesCaseVariantsIntoTheFirstSpelling() {
        Map<String, String> replacement = new LinkedHashMap<>();
        replacement.put("Env", "prod");
        replacement.put("ENV", "test");
        replacement.put("Owner", "x");

        Map<String, String> result = TagSetOperations.replace(RealTagMaps.tags("focusAksScaleSet"), replacement);

        assertThat(result).containsExactly(entry("Env", "test"), entry("Owner", "x"));
        assertThat(TagSetOperations.replace(replacement, Map.of())).isEmpty();
    }

    @Test
    void deleteRemovesByNameCaseInsensitivelyOrByMatchingNameAndValue() {
        Map<String, String> existing = RealTagMaps.tags("focusStorageAccountLeadingSpaceOrg");
        Map<String, String> toDelete = new LinkedHashMap<>();
        toDelete.put("PROJECT", "");
        toDelete.put("costcenter", "9999");
        toDelete.put("costallocationtest", "Sameer");
        toDelete.put("not-there", "");

        Map<String, String> result = TagSetOperations.delete(existing, toDelete);

        assertThat(result).containsExactly(entry("env", "prod"), entry("org", "trey"), entry(" org", "trey"),
                entry("CostCenter", "1234"));
    }

    @Test
    void deleteOfAMissingNameIsANoOpAsInTheRecordedRequest() {
        // recording_tagsoperations_update_test.json: Delete {"tagkey1": "tagvalue1"} left {"tag1","tag2"} as they were
        Map<String, String> existing = Map.of("tag1", "value1", "tag2", "value2");

        assertThat(TagSetOperations.delete(existing, Map.of("tagkey1", "tagvalue1"))).isEqualTo(existing);
    }

    @Test
    void resultsAreNewImmutableMapsAndInputsAreUntouched() {
        Map<String, String> existing = new LinkedHashMap<>(Map.of("env", "prod"));

        Map<String, String> merged = TagSetOperations.merge(existing, Map.of("org", "trey"));

        assertThat(existing).containsOnlyKeys("env");
        assertThatThrownBy(() -> merged.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> TagSetOperations.merge(null, Map.of())).hasMessageContaining("existing");
    }

    @Test
    void tagOperationAppliesAzuresSemanticsAndSpeaksArmNames() {
        Map<String, String> existing = Map.of("Env", "prod");

        assertThat(TagOperation.MERGE.apply(existing, Map.of("env", "test"))).containsExactly(entry("Env", "test"));
        assertThat(TagOperation.REPLACE.apply(existing, Map.of("org", "trey"))).containsExactly(entry("org", "trey"));
        assertThat(TagOperation.DELETE.apply(existing, Map.of("ENV", ""))).isEmpty();
        assertThat(TagOperation.fromArmName("merge")).isEqualTo(TagOperation.MERGE);
        assertThat(TagOperation.DELETE.armName()).isEqualTo("Delete");
        assertThatThrownBy(() -> TagOperation.fromArmName("Upsert")).hasMessageContaining("Upsert");
    }
}
