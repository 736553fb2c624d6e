package dev.canopy.events.azure;

import java.util.Map;

/** The three operations of ARM's Tags PATCH ({@code Tags_UpdateAtScope}), with Azure's semantics in {@link #apply}. */
public enum TagOperation {

    /** Adds new names and overwrites the values of existing names (matched case-insensitively). */
    MERGE("Merge"),
    /** Swaps the whole set for the given one. */
    REPLACE("Replace"),
    /** Removes the given names (or name/value pairs). */
    DELETE("Delete");

    private final String armName;

    TagOperation(String armName) {
        this.armName = armName;
    }

    /** @return the value of the {@code operation} field in the PATCH body */
    public String armName() {
        return armName;
    }

    /**
     * @param armName the {@code operation} field of a PATCH body, any casing
     * @return the matching operation
     * @throws IllegalArgumentException for anything but Merge, Replace or Delete
     */
    public static TagOperation fromArmName(String armName) {
        for (TagOperation op : values()) {
            if (op.armName.equalsIgnoreCase(armName)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown tag operation '" + armName + "': expected Merge, Replace or Delete");
    }

    /**
     * @param existing the tags Azure holds now
     * @param tags the tags of the request
     * @return the tags Azure holds afterwards
     */
    public Map<String, String> apply(Map<String, String> existing, Map<String, String> tags) {
        return switch (this) {
            case MERGE -> TagSetOperations.merge(existing, tags);
            case REPLACE -> TagSetOperations.replace(existing, tags);
            case DELETE -> TagSetOperations.delete(existing, tags);
        };
    }
}
