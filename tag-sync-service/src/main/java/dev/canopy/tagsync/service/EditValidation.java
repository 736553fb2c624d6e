package dev.canopy.tagsync.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.AzureTagRules;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.azure.TagViolation;
import dev.canopy.platform.problem.FieldViolation;
import dev.canopy.platform.problem.ProblemException;

/**
 * Checks what a caller asked for against the API's shape and Azure's tag rules, reporting every violation at once
 * (field {@code tags.<name>} and the rule's name). Rules that depend on the tags Azure holds now — the 50 or 15 tag
 * limit after a merge — are the writer's, because only Azure knows its current set.
 */
@ApplicationScoped
public class EditValidation {

    /** The rule a tag value that is not a JSON string breaks: Azure's tag values are strings, nothing is coerced. */
    public static final String VALUE_NOT_STRING = "VALUE_NOT_STRING";

    /** An operation and its tags that passed the checks every target shares. */
    public record ValidEdit(TagOperation operation, Map<String, String> tags) {
    }

    /**
     * The operation and tags of a request, checked with the rules every resource type shares; else 400. The tags are
     * as the body had them: a value that is not a string (a number, boolean, object or array) is a violation, never
     * turned into one; a null value is one too (Azure's rules: an empty string is a tag without a value).
     */
    public ValidEdit validate(String operation, Map<String, JsonNode> body) {
        List<FieldViolation> violations = new ArrayList<>();
        TagOperation op = operation(operation, violations);
        Map<String, String> tags = body == null ? null : strings(body, violations);
        if (tags == null) {
            violations.add(new FieldViolation("tags", "required", "tags is required (an object of tag names to values)"));
        } else if (tags.isEmpty() && op != TagOperation.REPLACE) {
            violations.add(new FieldViolation("tags", "not-empty", "tags must name at least one tag for "
                    + (op == null ? "this operation" : op.name().toLowerCase(Locale.ROOT))
                    + "; to remove every tag use replace with an empty object"));
        } else if (op != null) {
            violations.addAll(rules(AzureTagRules.validateForAnyType(tags), op));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid("the tag edit breaks " + violations.size() + " rule(s)", violations);
        }
        return new ValidEdit(op, tags);
    }

    /** The violations of Azure's rules for this resource's type, e.g. a 130-character name on a storage account. */
    public List<FieldViolation> rulesFor(ArmResourceId target, ValidEdit edit) {
        return rules(AzureTagRules.validate(target.resourceType(), edit.tags()), edit.operation());
    }

    /** The id as ARM id, or 400 naming the field. */
    public ArmResourceId resourceId(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw ProblemException.invalid(field, "required", field + " is required");
        }
        try {
            return ArmResourceId.parse(raw.startsWith("/") ? raw : "/" + raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "arm-resource-id", e.getMessage());
        }
    }

    private static TagOperation operation(String operation, List<FieldViolation> violations) {
        if (operation == null || operation.isBlank()) {
            violations.add(new FieldViolation("operation", "required", "operation is required: merge, replace or delete"));
            return null;
        }
        try {
            return TagOperation.fromArmName(operation.trim());
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation("operation", "one-of",
                    "operation must be merge, replace or delete; got '" + operation + "'"));
            return null;
        }
    }

    // The tags with their string values; a value of another JSON type is reported and kept as its JSON text, so that
    // the rules every tag set has (the count, the names) are still checked and answered in the same 400.
    private static Map<String, String> strings(Map<String, JsonNode> body, List<FieldViolation> violations) {
        Map<String, String> tags = new LinkedHashMap<>();
        body.forEach((name, value) -> {
            if (value == null || value.isNull()) {
                tags.put(name, null);
            } else if (value.isTextual()) {
                tags.put(name, value.textValue());
            } else {
                tags.put(name, value.toString());
                violations.add(new FieldViolation("tags." + name, VALUE_NOT_STRING, "value of tag '" + name
                        + "' must be a JSON string, got " + jsonType(value) + " " + FieldViolation.echo(value.toString())
                        + "; Azure tag values are strings (send it in quotes)"));
            }
        });
        return tags;
    }

    private static String jsonType(JsonNode value) {
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        return value.isArray() ? "an array" : "an object";
    }

    private static List<FieldViolation> rules(List<TagViolation> found, TagOperation op) {
        List<FieldViolation> violations = new ArrayList<>();
        for (TagViolation v : found) {
            // A delete names tags to remove: how many it names, or an empty value (= "any value"), is no violation.
            if (op == TagOperation.DELETE && v.rule() == TagViolation.Rule.TOO_MANY_TAGS) {
                continue;
            }
            String field = v.tagName() == null ? "tags" : "tags." + v.tagName();
            violations.add(new FieldViolation(field, v.rule().name(), v.message()));
        }
        return violations;
    }
}
