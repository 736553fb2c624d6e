package dev.canopy.events.azure;

import dev.canopy.events.azure.TagViolation.Rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Azure's tag rules (AZURE-CONTRACTS §4.1), shared by tag-sync (validate before accepting an edit) and the
 * emulator (refuse like ARM does).
 *
 * <p>{@link #validate} reports every violation, not just the first, in a stable order: a resource type that cannot be
 * tagged first, then the whole-set count, then each tag in the map's order, then case-insensitive name collisions. Lengths count UTF-16 code units
 * ({@link String#length()}), which is what .NET's {@code string.Length} counts too.
 */
public final class AzureTagRules {

    /** Most tags a resource, resource group or subscription may hold. */
    public static final int MAX_TAGS = 50;
    /** Most tags for the resource types in {@link #maxTagCount(String)}'s exception list. */
    public static final int MAX_TAGS_LIMITED_TYPES = 15;
    /** Longest tag name. */
    public static final int MAX_NAME_LENGTH = 512;
    /** Longest tag name on a storage account. */
    public static final int MAX_NAME_LENGTH_STORAGE_ACCOUNT = 128;
    /** Longest tag value, on every type. */
    public static final int MAX_VALUE_LENGTH = 256;

    /** Characters ARM refuses in tag names (besides control characters). Values may contain them. */
    public static final String FORBIDDEN_NAME_CHARACTERS = "<>%&\\?/";

    // Types limited to 15 tags (AZURE-CONTRACTS §4.1, from tag-resources.md and azure-resource-manager-rpc PR #146).
    // Whole namespaces where the docs name a service (Automation, CDN, API Management); exact types otherwise.
    private static final Set<String> LIMITED_NAMESPACES = Set.of(
            "microsoft.automation", "microsoft.cdn", "microsoft.apimanagement");
    private static final Set<String> LIMITED_TYPES = Set.of(
            "microsoft.network/dnszones", "microsoft.network/dnszones/a",
            "microsoft.network/privatednszones", "microsoft.network/privatednszones/a",
            "microsoft.operationalinsights/workspaces/savedsearches");

    // Types Azure's tag-support list (azure-docs tag-support.md, "Supports tags: No") marks as untaggable, kept to a
    // small set Canopy can meet among collected resources; the list has hundreds more (mostly proxy and child types
    // that never appear as listed resources). Classic resources are untaggable as whole namespaces (tag-resources.md).
    // DNS record sets are left out on purpose: tag-resources.md limits "A records" to 15 tags (MAX_TAGS_LIMITED_TYPES).
    private static final Set<String> UNTAGGABLE_NAMESPACES = Set.of(
            "microsoft.classiccompute", "microsoft.classicnetwork", "microsoft.classicstorage",
            "microsoft.classicinfrastructuremigrate");
    private static final Set<String> UNTAGGABLE_TYPES = Set.of(
            "microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions",
            "microsoft.authorization/locks", "microsoft.authorization/policyassignments",
            "microsoft.authorization/policydefinitions", "microsoft.authorization/policysetdefinitions",
            "microsoft.authorization/policyexemptions", "microsoft.authorization/denyassignments",
            "microsoft.insights/diagnosticsettings", "microsoft.management/managementgroups",
            "microsoft.network/virtualnetworks/subnets");

    private static final int SHOWN_NAME_LENGTH = 40;

    private AzureTagRules() {
    }

    /**
     * Checks a tag set meant for {@code target}.
     *
     * @param target the resource, resource group or subscription the tags are for
     * @param tags the complete tag set (for a merge: the set after merging)
     * @return every violation; empty if Azure would accept the set
     */
    public static List<TagViolation> validate(ArmResourceId target, Map<String, String> tags) {
        Objects.requireNonNull(target, "target is required");
        return validate(target.resourceType(), tags);
    }

    /**
     * Checks a tag set meant for a resource of type {@code resourceType}.
     *
     * @param resourceType e.g. {@code Microsoft.Storage/storageAccounts}; {@code Microsoft.Resources/resourceGroups} for a group
     * @param tags the complete tag set; null keys and values are reported, not thrown
     * @return every violation; empty if Azure would accept the set
     */
    public static List<TagViolation> validate(String resourceType, Map<String, String> tags) {
        Objects.requireNonNull(resourceType, "resourceType is required");
        return check(resourceType, tags);
    }

    /**
     * Checks a tag set against the rules every resource type shares: at most {@link #MAX_TAGS} tags, names of at
     * most {@link #MAX_NAME_LENGTH} characters, and the rules that do not depend on the type at all. Messages say
     * "for any resource", never a type; the stricter limits of some types are {@link #validate(String, Map)}'s.
     *
     * @param tags the complete tag set; null keys and values are reported, not thrown
     * @return every violation; empty if Azure would accept the set for at least the least restricted type
     */
    public static List<TagViolation> validateForAnyType(Map<String, String> tags) {
        return check(null, tags);
    }

    // resourceType null: the rules of the least restricted type, worded for any resource.
    private static List<TagViolation> check(String resourceType, Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags is required");
        List<TagViolation> violations = new ArrayList<>();
        if (resourceType != null && !supportsTags(resourceType)) {
            violations.add(new TagViolation(null, Rule.TYPE_NOT_TAGGABLE, "resource type " + resourceType
                    + " does not support tags; Azure refuses every tag write to it"));
        }
        String appliesTo = resourceType == null ? "any resource" : "resource type " + resourceType;
        int maxTags = resourceType == null ? MAX_TAGS : maxTagCount(resourceType);
        if (tags.size() > maxTags) {
            violations.add(new TagViolation(null, Rule.TOO_MANY_TAGS, tags.size() + " tags exceed the limit of "
                    + maxTags + " tags for " + appliesTo));
        }
        int maxNameLength = resourceType == null ? MAX_NAME_LENGTH : maxNameLength(resourceType);
        Map<String, Set<String>> spellingsByFoldedName = new LinkedHashMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String name = tag.getKey();
            if (name == null || name.isBlank()) {
                violations.add(new TagViolation(name, Rule.NAME_EMPTY,
                        "a tag name must not be null, empty or whitespace only; got " + quoted(name)));
            } else {
                checkName(name, maxNameLength, appliesTo, violations);
                spellingsByFoldedName.computeIfAbsent(TagNames.fold(name), k -> new LinkedHashSet<>()).add(name);
            }
            checkValue(name, tag.getValue(), violations);
        }
        for (Set<String> spellings : spellingsByFoldedName.values()) {
            if (spellings.size() > 1) {
                violations.add(new TagViolation(spellings.iterator().next(), Rule.NAME_NOT_UNIQUE,
                        "tag names " + String.join(", ", spellings.stream().map(AzureTagRules::quoted).toList())
                                + " differ only in case; Azure treats them as one tag"));
            }
        }
        return List.copyOf(violations);
    }

    private static void checkName(String name, int maxNameLength, String appliesTo, List<TagViolation> violations) {
        if (name.length() > maxNameLength) {
            violations.add(new TagViolation(name, Rule.NAME_TOO_LONG, "tag name " + quoted(name) + " has "
                    + name.length() + " characters; the limit is " + maxNameLength + " for " + appliesTo));
        }
        Set<String> bad = new LinkedHashSet<>();
        name.codePoints().forEach(cp -> {
            if (FORBIDDEN_NAME_CHARACTERS.indexOf(cp) >= 0) {
                bad.add("'" + Character.toString(cp) + "'");
            } else if (Character.isISOControl(cp)) {
                bad.add(String.format(Locale.ROOT, "control character U+%04X", cp));
            }
        });
        if (!bad.isEmpty()) {
            violations.add(new TagViolation(name, Rule.NAME_INVALID_CHARACTERS, "tag name " + quoted(name)
                    + " contains " + String.join(", ", bad)
                    + "; tag names may not contain < > % & \\ ? / or control characters"));
        }
    }

    private static void checkValue(String name, String value, List<TagViolation> violations) {
        if (value == null) {
            violations.add(new TagViolation(name, Rule.VALUE_MISSING,
                    "tag " + quoted(name) + " has a null value; use an empty string for a tag without a value"));
        } else if (value.length() > MAX_VALUE_LENGTH) {
            violations.add(new TagViolation(name, Rule.VALUE_TOO_LONG, "value of tag " + quoted(name) + " has "
                    + value.length() + " characters; the limit is " + MAX_VALUE_LENGTH));
        }
    }

    /**
     * @param resourceType a resource type, any casing, e.g. {@code Microsoft.Network/virtualNetworks/subnets}
     * @return false for classic resources ({@code Microsoft.Classic*}), role assignments and definitions, locks,
     *     policy assignments, definitions, set definitions and exemptions, deny assignments, diagnostic settings,
     *     management groups and subnets; true otherwise (resource groups and subscriptions included)
     */
    public static boolean supportsTags(String resourceType) {
        String type = resourceType.toLowerCase(Locale.ROOT);
        return !UNTAGGABLE_NAMESPACES.contains(namespace(type)) && !UNTAGGABLE_TYPES.contains(type);
    }

    /**
     * @param resourceType a resource type, any casing
     * @return 15 for Azure Automation, CDN, API Management, public and private DNS zones and their A records, and
     *     Log Analytics saved searches; 50 otherwise
     */
    public static int maxTagCount(String resourceType) {
        String type = resourceType.toLowerCase(Locale.ROOT);
        return LIMITED_NAMESPACES.contains(namespace(type)) || LIMITED_TYPES.contains(type) ? MAX_TAGS_LIMITED_TYPES : MAX_TAGS;
    }

    private static String namespace(String type) {
        int slash = type.indexOf('/');
        return slash < 0 ? type : type.substring(0, slash);
    }

    /**
     * @param resourceType a resource type, any casing
     * @return 128 for storage accounts, 512 otherwise
     */
    public static int maxNameLength(String resourceType) {
        return resourceType.equalsIgnoreCase("Microsoft.Storage/storageAccounts")
                ? MAX_NAME_LENGTH_STORAGE_ACCOUNT : MAX_NAME_LENGTH;
    }

    /** Quotes a name for a message, shortening very long ones so a 600-character name does not flood a log line. */
    private static String quoted(String name) {
        if (name == null) {
            return "null";
        }
        String shown = name.length() > SHOWN_NAME_LENGTH ? name.substring(0, SHOWN_NAME_LENGTH) + "…" : name;
        return "'" + shown + "'";
    }
}
