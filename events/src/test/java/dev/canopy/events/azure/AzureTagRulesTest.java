package dev.canopy.events.azure;

import dev.canopy.events.azure.TagViolation.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class AzureTagRulesTest {

    private static final ArmResourceId VM = ArmResourceId.parse("/subscriptions/73c0021f-a37d-433f-8baa-7450cb54eea6/"
            + "resourceGroups/gekko/providers/Microsoft.Compute/virtualMachines/GekkoPower");
    private static final ArmResourceId STORAGE = ArmResourceId.parse("/subscriptions/73c0021f-a37d-433f-8baa-7450cb54eea6/"
            + "resourcegroups/gekko/providers/microsoft.storage/storageaccounts/gekkodiag236");
    private static final ArmResourceId AUTOMATION = ArmResourceId.parse("/subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/"
            + "resourceGroups/RG2/providers/Microsoft.Automation/automationAccounts/TestAA");

    @Test
    void realTagSetsAreValidForTheirResources() {
        for (String name : List.of("focusStorageAccountLeadingSpaceOrg", "focusMlWorkspaceOnlyLeadingSpaceOrg",
                "focusStorageAccountWithParent", "focusAksScaleSet", "eaDiskEmptyOrgValue")) {
            assertThat(AzureTagRules.validate(RealTagMaps.resourceId(name), RealTagMaps.tags(name))).as(name).isEmpty();
        }
    }

    @Test
    void aLeadingSpaceMakesADifferentNameNotACaseCollision() {
        Map<String, String> tags = RealTagMaps.tags("focusStorageAccountLeadingSpaceOrg");

        assertThat(tags).containsKeys("org", " org");
        assertThat(TagNames.same("org", " org")).isFalse();
        assertThat(AzureTagRules.validate(STORAGE, tags)).isEmpty();
    }

    @Test
    void moreThanFiftyTagsAreRejectedWithTheCount() {
        List<TagViolation> violations = AzureTagRules.validate(VM, numberedTags(51));

        assertThat(violations).extracting(TagViolation::tagName, TagViolation::rule, TagViolation::azureErrorCode)
                .containsExactly(tuple(null, Rule.TOO_MANY_TAGS, "InvalidTags"));
        assertThat(violations.get(0).message()).contains("51 tags", "limit of 50");
        assertThat(AzureTagRules.validate(VM, numberedTags(50))).isEmpty();
    }

    @Test
    void theRulesEveryTypeSharesNameNoType() {
        Map<String, String> tags = numberedTags(51);
        tags.put("n".repeat(513), "v");

        List<TagViolation> violations = AzureTagRules.validateForAnyType(tags);

        assertThat(violations).extracting(TagViolation::rule).containsExactly(Rule.TOO_MANY_TAGS, Rule.NAME_TOO_LONG);
        assertThat(violations).extracting(TagViolation::message).allSatisfy(m -> assertThat(m)
                .endsWith("for any resource").doesNotContain("Microsoft."));
        assertThat(violations.get(0).message()).isEqualTo("52 tags exceed the limit of 50 tags for any resource");
        // The stricter limits of some types are not the shared check's: 15 tags pass it.
        assertThat(AzureTagRules.validateForAnyType(numberedTags(15))).isEmpty();
    }

    @Test
    void theRealEighteenTagScaleSetSetIsTooManyForTypesLimitedToFifteen() {
        Map<String, String> aks = RealTagMaps.tags("focusAksScaleSet");

        assertThat(AzureTagRules.validate(AUTOMATION, aks)).extracting(TagViolation::rule).containsExactly(Rule.TOO_MANY_TAGS);
        assertThat(AzureTagRules.validate(AUTOMATION, aks).get(0).message()).contains("18 tags", "limit of 15");
        assertThat(AzureTagRules.validate(AUTOMATION, numberedTags(15))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Microsoft.Automation/automationAccounts", "Microsoft.Automation/automationAccounts/runbooks",
            "Microsoft.Cdn/profiles", "Microsoft.Cdn/profiles/endpoints", "Microsoft.Network/dnszones",
            "Microsoft.Network/dnsZones/A", "Microsoft.Network/privateDnsZones", "Microsoft.Network/privateDnsZones/A",
            "Microsoft.OperationalInsights/workspaces/savedSearches", "Microsoft.ApiManagement/service"})
    void typesLimitedToFifteenTags(String type) {
        assertThat(AzureTagRules.maxTagCount(type)).isEqualTo(15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Microsoft.Network/dnszones/CNAME", "Microsoft.Network/privateDnsZones/AAAA",
            "Microsoft.OperationalInsights/workspaces", "Microsoft.Storage/storageAccounts",
            "Microsoft.Resources/resourceGroups", "Microsoft.Resources/subscriptions"})
    void otherTypesAllowFifty(String type) {
        assertThat(AzureTagRules.maxTagCount(type)).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Microsoft.ClassicCompute/domainNames", "Microsoft.ClassicStorage/storageAccounts",
            "Microsoft.Authorization/roleAssignments", "microsoft.authorization/LOCKS",
            "Microsoft.Authorization/policyAssignments", "Microsoft.Insights/diagnosticSettings",
            "Microsoft.Network/virtualNetworks/subnets", "Microsoft.Management/managementGroups"})
    void typesWithoutTagSupportRejectEveryTagSetEvenAnEmptyOne(String type) {
        assertThat(AzureTagRules.supportsTags(type)).isFalse();
        assertThat(AzureTagRules.validate(type, Map.of()))
                .extracting(TagViolation::tagName, TagViolation::rule, TagViolation::azureErrorCode)
                .containsExactly(tuple(null, Rule.TYPE_NOT_TAGGABLE, "TagsNotSupported"));
        assertThat(AzureTagRules.validate(type, Map.of("env", "prod")).get(0).message())
                .contains(type, "does not support tags");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Microsoft.Network/virtualNetworks", "Microsoft.Insights/components",
            "Microsoft.Authorization/resourceManagementPrivateLinks", "Microsoft.Network/dnszones/A",
            "Microsoft.Resources/resourceGroups", "Microsoft.Resources/subscriptions", "Microsoft.Compute/virtualMachines"})
    void typesWithTagSupportAreNotRejectedForTheirType(String type) {
        assertThat(AzureTagRules.supportsTags(type)).isTrue();
        assertThat(AzureTagRules.validate(type, Map.of("env", "prod"))).isEmpty();
    }

    @Test
    void anUntaggableTypeIsReportedBeforeTheOtherViolations() {
        ArmResourceId subnet = ArmResourceId.parse("/subscriptions/73c0021f-a37d-433f-8baa-7450cb54eea6/resourceGroups/"
                + "net/providers/Microsoft.Network/virtualNetworks/hub/subnets/default");

        assertThat(AzureTagRules.validate(subnet, Map.of("a/b", "x"))).extracting(TagViolation::rule)
                .containsExactly(Rule.TYPE_NOT_TAGGABLE, Rule.NAME_INVALID_CHARACTERS);
    }

    @Test
    void namesLongerThan512AreRejectedAnd128ForStorageAccounts() {
        String name129 = "n".repeat(129);
        String name513 = "n".repeat(513);

        assertThat(AzureTagRules.validate(VM, Map.of(name129, "v"))).isEmpty();
        assertThat(AzureTagRules.validate(VM, Map.of("n".repeat(512), "v"))).isEmpty();
        assertThat(AzureTagRules.validate(VM, Map.of(name513, "v")))
                .extracting(TagViolation::tagName, TagViolation::rule).containsExactly(tuple(name513, Rule.NAME_TOO_LONG));
        assertThat(AzureTagRules.validate(VM, Map.of(name513, "v")).get(0).message()).contains("513 characters", "limit is 512");
        assertThat(AzureTagRules.validate(STORAGE, Map.of("n".repeat(128), "v"))).isEmpty();
        assertThat(AzureTagRules.validate(STORAGE, Map.of(name129, "v")).get(0).message()).contains("129 characters", "limit is 128");
    }

    @Test
    void valuesLongerThan256AreRejected() {
        assertThat(AzureTagRules.validate(STORAGE, Map.of("k", "v".repeat(256)))).isEmpty();
        List<TagViolation> violations = AzureTagRules.validate(STORAGE, Map.of("k", "v".repeat(257)));

        assertThat(violations).extracting(TagViolation::tagName, TagViolation::rule, TagViolation::azureErrorCode)
                .containsExactly(tuple("k", Rule.VALUE_TOO_LONG, "InvalidTagValueLength"));
        assertThat(violations.get(0).message()).contains("257 characters", "limit is 256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a<b", "a>b", "100%", "R&D", "back\\slash", "why?", "k8s.io/cluster-autoscaler", "tab\there"})
    void reservedCharactersInNamesAreRejected(String name) {
        List<TagViolation> violations = AzureTagRules.validate(VM, Map.of(name, "x"));

        assertThat(violations).extracting(TagViolation::rule, TagViolation::azureErrorCode)
                .containsExactly(tuple(Rule.NAME_INVALID_CHARACTERS, "InvalidTagNameCharacters"));
    }

    @Test
    void reservedCharactersAreFineInValuesAndOtherPunctuationInNames() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("ms:Department", "test");
        tags.put("kubernetes.io-created-for-pv-name", "pvc-ce11a08b-fe88-42df-8b88-5151819181d9");
        tags.put("url", "https://example.org/a?b=1&c=%20<x>\\");

        assertThat(AzureTagRules.validate(VM, tags)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void emptyOrWhitespaceNamesAreRejected(String name) {
        assertThat(AzureTagRules.validate(VM, Map.of(name, "x"))).extracting(TagViolation::rule)
                .contains(Rule.NAME_EMPTY);
    }

    @Test
    void namesDifferingOnlyInCaseAreReportedWithEverySpelling() {
        Map<String, String> tags = RealTagMaps.tags("focusAksScaleSet");
        tags.put("costcenter", "SubACM");
        tags.put("COSTCENTER", "SubACM");

        List<TagViolation> violations = AzureTagRules.validate(VM, tags);

        assertThat(violations).extracting(TagViolation::tagName, TagViolation::rule)
                .containsExactly(tuple("CostCenter", Rule.NAME_NOT_UNIQUE));
        assertThat(violations.get(0).message()).contains("'CostCenter', 'costcenter', 'COSTCENTER'");
    }

    @Test
    void nullNamesAndValuesAreReportedNotThrown() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(null, "x");
        tags.put("env", null);

        assertThat(AzureTagRules.validate(VM, tags)).extracting(TagViolation::tagName, TagViolation::rule)
                .containsExactly(tuple(null, Rule.NAME_EMPTY), tuple("env", Rule.VALUE_MISSING));
    }

    @Test
    void everyViolationIsReportedNotJustTheFirst() {
        Map<String, String> tags = numberedTags(14);
        tags.put("Owner/Team", "platform");
        tags.put("", "orphan");
        tags.put("n".repeat(600), "v");
        tags.put("description", "d".repeat(300));
        tags.put("ENV", "prod");
        tags.put("env", "Prod");

        List<TagViolation> violations = AzureTagRules.validate(AUTOMATION, tags);

        assertThat(violations).extracting(TagViolation::rule).containsExactly(
                Rule.TOO_MANY_TAGS, Rule.NAME_INVALID_CHARACTERS, Rule.NAME_EMPTY, Rule.NAME_TOO_LONG,
                Rule.VALUE_TOO_LONG, Rule.NAME_NOT_UNIQUE);
        assertThat(violations.get(0).message()).contains("20 tags", "limit of 15");
        assertThat(violations.get(3).message()).contains("600 characters").doesNotContain("n".repeat(100));
    }

    @Test
    void everyRuleHasAnArmStyleErrorCode() {
        assertThat(Arrays.stream(Rule.values()).map(Rule::azureErrorCode))
                .allMatch(code -> code.matches("[A-Z][A-Za-z]+"));
        assertThat(new TagViolation("a/b", Rule.NAME_INVALID_CHARACTERS, "m").azureErrorCode())
                .isEqualTo("InvalidTagNameCharacters");
    }

    private static Map<String, String> numberedTags(int count) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            tags.put("tag" + i, "value" + i);
        }
        return tags;
    }
}
