package dev.canopy.cost.query;

/**
 * A validated {@code groupBy}.
 *
 * @param dimension what to group by
 * @param tagKey for {@link Dimension#TAG}: the tag key as the caller spelled it (matched ignoring case); else null
 */
public record GroupBy(Dimension dimension, String tagKey) {

    /** As the caller would write it, e.g. {@code resourceGroup} or {@code tag:CostCenter}. */
    public String parameter() {
        return dimension == Dimension.TAG ? "tag:" + tagKey : dimension.parameter();
    }
}
