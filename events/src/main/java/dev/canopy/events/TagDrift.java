package dev.canopy.events;

/**
 * One tag on which Azure and Canopy's platform view disagree.
 *
 * @param key the tag name
 * @param canopyValue the value Canopy holds, or {@code null} if Canopy has no such tag
 * @param azureValue the value Azure holds, or {@code null} if Azure has no such tag
 */
public record TagDrift(String key, String canopyValue, String azureValue) {

    /** Validates the fields: a drift has a name and a value on at least one side. */
    public TagDrift {
        key = Checks.required(key, "key");
        if (canopyValue == null && azureValue == null) {
            throw new IllegalArgumentException("drift of tag '" + key + "' needs canopyValue or azureValue");
        }
    }
}
