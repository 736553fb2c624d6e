package dev.canopy.emulator.arm;

import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.ResourceGroup;
import dev.canopy.events.azure.TagNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ARM's {@code $filter} for resource and resource-group lists: {@code eq}/{@code ne} on name, resourceType,
 * location, resourceGroup, tagName, tagValue; {@code substringof('x', name)}; {@code startswith(tagName,'x')};
 * clauses joined by {@code and} / {@code or}. Values compare case-insensitively except tag values.
 */
public final class ResourceFilter {

    private static final Pattern COMPARE = Pattern.compile("(?i)\\s*(\\w+)\\s+(eq|ne)\\s+'((?:[^']|'')*)'\\s*");
    private static final Pattern SUBSTRING = Pattern.compile("(?i)\\s*substringof\\(\\s*'((?:[^']|'')*)'\\s*,\\s*(\\w+)\\s*\\)\\s*");
    private static final Pattern STARTS = Pattern.compile("(?i)\\s*startswith\\(\\s*(\\w+)\\s*,\\s*'((?:[^']|'')*)'\\s*\\)\\s*");

    /** The fields a clause can read, from a resource or a resource group. */
    private record Item(String name, String type, String location, String resourceGroup, Map<String, String> tags) {
    }

    private final List<List<Predicate<Item>>> disjunction = new ArrayList<>();
    private final boolean tagFilter;

    private ResourceFilter(String filter) {
        boolean tags = false;
        for (String alternative : filter.split("(?i)\\s+or\\s+")) {
            List<Predicate<Item>> conjunction = new ArrayList<>();
            List<String> clauses = List.of(alternative.split("(?i)\\s+and\\s+"));
            // "tagName eq 'k' and tagValue eq 'v'" means one tag with that name AND that value.
            String tagName = null;
            String tagValue = null;
            for (String clause : clauses) {
                Matcher m;
                if ((m = COMPARE.matcher(clause)).matches()) {
                    String field = m.group(1).toLowerCase(Locale.ROOT);
                    boolean eq = m.group(2).equalsIgnoreCase("eq");
                    String value = m.group(3).replace("''", "'");
                    switch (field) {
                        case "tagname" -> { tagName = value; tags = true; }
                        case "tagvalue" -> { tagValue = value; tags = true; }
                        case "name", "resourcetype", "location", "resourcegroup" -> {
                            Predicate<Item> p = item -> value.equalsIgnoreCase(field(item, field));
                            conjunction.add(eq ? p : p.negate());
                        }
                        default -> throw invalid(filter);
                    }
                } else if ((m = SUBSTRING.matcher(clause)).matches()) {
                    String value = m.group(1).replace("''", "'").toLowerCase(Locale.ROOT);
                    String field = m.group(2).toLowerCase(Locale.ROOT);
                    if (!field.equals("name") && !field.equals("resourcegroup")) {
                        throw invalid(filter);
                    }
                    conjunction.add(item -> String.valueOf(field(item, field)).toLowerCase(Locale.ROOT).contains(value));
                } else if ((m = STARTS.matcher(clause)).matches() && m.group(1).equalsIgnoreCase("tagname")) {
                    String prefix = m.group(2).replace("''", "'").toLowerCase(Locale.ROOT);
                    tags = true;
                    conjunction.add(item -> item.tags().keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).startsWith(prefix)));
                } else {
                    throw invalid(filter);
                }
            }
            if (tagValue != null && tagName == null) {
                throw invalid(filter);
            }
            if (tagName != null) {
                String n = tagName;
                String v = tagValue;
                conjunction.add(item -> item.tags().entrySet().stream()
                        .anyMatch(e -> TagNames.same(e.getKey(), n) && (v == null || v.equals(e.getValue()))));
            }
            disjunction.add(conjunction);
        }
        this.tagFilter = tags;
    }

    /** @return the parsed filter, or null for no filter */
    public static ResourceFilter parse(String filter) {
        return filter == null || filter.isBlank() ? null : new ResourceFilter(filter);
    }

    /** @return whether the filter names tags (ARM then leaves tags out of the items) */
    public boolean filtersTags() {
        return tagFilter;
    }

    public boolean test(Resource r) {
        return test(new Item(r.name(), r.type(), r.location(), r.armId().resourceGroup(), r.tags()));
    }

    public boolean test(ResourceGroup rg) {
        return test(new Item(rg.name(), "Microsoft.Resources/resourceGroups", rg.location(), rg.name(),
                rg.tags() == null ? Map.of() : rg.tags()));
    }

    private boolean test(Item item) {
        return disjunction.stream().anyMatch(c -> c.stream().allMatch(p -> p.test(item)));
    }

    private static String field(Item item, String field) {
        return switch (field) {
            case "name" -> item.name();
            case "resourcetype" -> item.type();
            case "location" -> item.location();
            case "resourcegroup" -> item.resourceGroup();
            default -> null;
        };
    }

    private static ArmException invalid(String filter) {
        return ArmException.badRequest("InvalidFilterInQueryString", "Invalid $filter '" + filter
                + "' specified in the query string.");
    }
}
