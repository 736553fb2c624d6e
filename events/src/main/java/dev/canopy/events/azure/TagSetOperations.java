package dev.canopy.events.azure;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Azure's merge, replace and delete of tag sets, shared by the emulator and tag-sync so both compute exactly what
 * ARM would hold after a Tags PATCH. Names match case-insensitively; values are kept byte for byte.
 *
 * <p>Every method returns a new unmodifiable map in insertion order and leaves its arguments untouched. It does
 * not check Azure's limits: run {@link AzureTagRules#validate} on the result.
 */
public final class TagSetOperations {

    private TagSetOperations() {
    }

    /**
     * Merge: adds new names, overwrites values of existing ones. A name that differs from an existing one only in
     * case updates that tag and keeps the existing spelling and position.
     *
     * @param existing the tags held now
     * @param patch the tags to merge in
     * @return the merged set
     */
    public static Map<String, String> merge(Map<String, String> existing, Map<String, String> patch) {
        Map<String, String> result = copy(existing, "existing");
        // folded name -> spelling held in result, so each patch entry finds its tag in O(1)
        Map<String, String> spellings = new LinkedHashMap<>();
        result.keySet().forEach(name -> spellings.putIfAbsent(TagNames.fold(name), name));
        requireEntries(patch, "patch").forEach((name, value) -> {
            String held = spellings.putIfAbsent(TagNames.fold(name), name);
            result.put(held != null ? held : name, value);
        });
        return Collections.unmodifiableMap(result);
    }

    /**
     * Replace: the result is the given set. Names within it that differ only in case collapse into the first
     * spelling with the last value, as ARM stores one tag for them.
     *
     * @param existing the tags held now (only checked; Replace ignores them)
     * @param replacement the new set
     * @return the new set
     */
    public static Map<String, String> replace(Map<String, String> existing, Map<String, String> replacement) {
        requireEntries(existing, "existing");
        return merge(Map.of(), replacement);
    }

    /**
     * Delete: removes each given name, matched case-insensitively. A given empty value deletes by name alone;
     * a non-empty value deletes only a tag holding exactly that value (the "name/value pairs" form of the API).
     *
     * <p>Why: the ARM spec says Delete removes "given names or name/value pairs", and the Azure CLI sends a
     * name-only delete as an empty value. That a non-matching value leaves the tag in place was not confirmed
     * against a recording.
     *
     * @param existing the tags held now
     * @param toDelete the names (and optionally values) to remove
     * @return the remaining set
     */
    public static Map<String, String> delete(Map<String, String> existing, Map<String, String> toDelete) {
        Map<String, String> result = copy(existing, "existing");
        requireEntries(toDelete, "toDelete").forEach((name, value) -> {
            Iterator<Map.Entry<String, String>> it = result.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, String> held = it.next();
                if (TagNames.same(held.getKey(), name) && (value.isEmpty() || value.equals(held.getValue()))) {
                    it.remove();
                }
            }
        });
        return Collections.unmodifiableMap(result);
    }

    private static LinkedHashMap<String, String> copy(Map<String, String> tags, String what) {
        return new LinkedHashMap<>(requireEntries(tags, what));
    }

    private static Map<String, String> requireEntries(Map<String, String> tags, String what) {
        Objects.requireNonNull(tags, what + " tags are required");
        tags.forEach((name, value) -> {
            Objects.requireNonNull(name, what + " tags contain a null name");
            Objects.requireNonNull(value, what + " tags contain a null value for '" + name + "'");
        });
        return tags;
    }
}
