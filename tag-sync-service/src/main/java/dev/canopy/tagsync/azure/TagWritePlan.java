package dev.canopy.tagsync.azure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.AzureTagRules;
import dev.canopy.events.azure.TagNames;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.azure.TagViolation;

/**
 * What a tag write would do to the tags Azure holds now: the exact call, the tags expected afterwards, and every
 * Azure tag rule the result would break. {@link AzureTagsWriter} sends {@link #request()} only when
 * {@link #violations()} is empty; a preview can show the same plan without sending anything.
 *
 * @param request the Tags API call, with names re-spelled to the ones Azure holds (Merge and Delete)
 * @param operation the operation asked for
 * @param expected the tags Azure should hold afterwards ({@link TagOperation#apply})
 * @param violations the tag rules broken by the request or its result, in {@link AzureTagRules#validate} order
 */
public record TagWritePlan(TagsApiRequest request, TagOperation operation, Map<String, String> expected,
                           List<TagViolation> violations) {

    /** Validates and freezes the fields. */
    public TagWritePlan {
        Objects.requireNonNull(request, "request is required");
        Objects.requireNonNull(operation, "operation is required");
        expected = Collections.unmodifiableMap(new LinkedHashMap<>(expected));
        violations = List.copyOf(violations);
    }

    /**
     * Plans a write.
     *
     * @param armEndpoint the ARM base URL
     * @param displayResourceId the ARM id in Azure's casing
     * @param operation Merge, Replace or Delete
     * @param requested the tags of the edit (for Delete: names, with an empty value or the value to match)
     * @param current the tags Azure holds now
     * @return the plan
     */
    public static TagWritePlan of(String armEndpoint, String displayResourceId, TagOperation operation,
                                  Map<String, String> requested, Map<String, String> current) {
        ArmResourceId id = ArmResourceId.parse(displayResourceId);
        List<TagViolation> violations = new ArrayList<>();
        // Two names of one request that differ only in case would silently become one below: refuse them instead.
        AzureTagRules.validate(id, requested).stream()
                .filter(v -> v.rule() == TagViolation.Rule.NAME_NOT_UNIQUE).forEach(violations::add);
        Map<String, String> sent = operation == TagOperation.REPLACE ? requested : respell(requested, current);
        Map<String, String> expected = operation.apply(current, sent);
        violations.addAll(AzureTagRules.validate(id, expected));
        return new TagWritePlan(TagsApiRequest.of(armEndpoint, id.displayId(), operation, sent), operation, expected,
                violations);
    }

    /**
     * Uses Azure's spelling for each requested name that differs from a held one only in case. ARM matches names
     * case-insensitively but may keep the casing it was sent (AZURE-CONTRACTS §4.2); sending the held spelling makes
     * sure the edit updates that tag and never leaves it spelled two ways across Canopy and Azure.
     */
    private static Map<String, String> respell(Map<String, String> requested, Map<String, String> current) {
        Map<String, String> held = new LinkedHashMap<>();
        current.keySet().forEach(name -> held.putIfAbsent(TagNames.fold(name), name));
        Map<String, String> sent = new LinkedHashMap<>();
        requested.forEach((name, value) -> sent.put(held.getOrDefault(TagNames.fold(name), name), value));
        return sent;
    }

    /** @return whether Azure would accept the write; only then is it sent */
    public boolean sendable() {
        return violations.isEmpty();
    }

    /** @return every violation, each as "code: message", joined for a reason line */
    public String violationsText() {
        return describe(violations);
    }

    /** @return the violations, each as "code: message", joined for a reason line */
    public static String describe(List<TagViolation> violations) {
        return violations.stream().map(v -> v.azureErrorCode() + ": " + v.message()).collect(Collectors.joining("; "));
    }

    /** @return the tags of the call as sent (names in Azure's spelling) */
    @SuppressWarnings("unchecked")
    public Map<String, String> sentTags() {
        return (Map<String, String>) ((Map<String, Object>) request.body().get("properties")).get("tags");
    }

    /**
     * Whether Azure holds what this write asked for. Names compare case-insensitively, values exactly. Merge: every
     * sent tag is held with its value; Delete: no sent tag is held (by name, or by name and value when one was
     * given); Replace: the held set is exactly the sent set. Tags the write did not name are not judged, so a tag
     * someone else changed meanwhile does not make a write that took effect look unknown.
     *
     * @param azureTags the tags read back from Azure
     * @return whether the write took effect
     */
    public boolean isHeldBy(Map<String, String> azureTags) {
        return missing(azureTags).isEmpty();
    }

    /**
     * @param azureTags the tags read back from Azure
     * @return the names of the sent tags Azure does not hold as asked (for Replace also the extra names it holds)
     */
    public List<String> missing(Map<String, String> azureTags) {
        Map<String, String> held = new LinkedHashMap<>();
        azureTags.forEach((name, value) -> held.put(TagNames.fold(name), value));
        Map<String, String> sent = sentTags();
        List<String> wrong = new ArrayList<>();
        sent.forEach((name, value) -> {
            String heldValue = held.get(TagNames.fold(name));
            boolean ok = switch (operation) {
                case MERGE, REPLACE -> value.equals(heldValue);
                case DELETE -> heldValue == null || !value.isEmpty() && !value.equals(heldValue);
            };
            if (!ok) {
                wrong.add(name);
            }
        });
        if (operation == TagOperation.REPLACE) {
            Map<String, String> sentFolded = new LinkedHashMap<>();
            sent.keySet().forEach(name -> sentFolded.put(TagNames.fold(name), name));
            azureTags.keySet().stream().filter(name -> !sentFolded.containsKey(TagNames.fold(name))).forEach(wrong::add);
        }
        return wrong;
    }
}
