package dev.canopy.cost.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What spend can be grouped by, with the SQL that names a fact's group ({@code f} is the fact, {@code res} the
 * fact's resource in the inventory, {@code rg} its resource group). Expressions are constants chosen by this enum,
 * never text from the request.
 */
public enum Dimension {

    /** The subscription billed. */
    SUBSCRIPTION("subscription", "f.subscription_id", "f.subscription_id", false, false),
    /** The resource group as its normalized ARM id (two subscriptions may have groups of one name). */
    RESOURCE_GROUP("resourceGroup", "f.resource_group_id", "coalesce(rg.name, f.resource_group)", false, true),
    /** The service the cost source names. */
    SERVICE("service", "f.service_name", "f.service_name", false, false),
    /** The resource as its normalized id; shown as the inventory spells it, else as the cost source did. */
    RESOURCE("resource", "f.resource_id", "coalesce(res.display_id, f.display_resource_id)", true, false),
    /** The resource's region, from the inventory (none for spend of a resource the inventory does not hold). */
    LOCATION("location", "res.location", "res.location", true, false),
    /** The usage day. */
    DAY("day", "to_char(f.usage_date, 'YYYY-MM-DD')", "to_char(f.usage_date, 'YYYY-MM-DD')", false, false),
    /** A tag's value: the resource's, else its resource group's (see {@link SpendQueries#byTag}). */
    TAG("tag", null, null, false, false);

    private final String parameter;
    private final String keySql;
    private final String labelSql;
    private final boolean joinsResource;
    private final boolean joinsResourceGroup;

    Dimension(String parameter, String keySql, String labelSql, boolean joinsResource, boolean joinsResourceGroup) {
        this.parameter = parameter;
        this.keySql = keySql;
        this.labelSql = labelSql;
        this.joinsResource = joinsResource;
        this.joinsResourceGroup = joinsResourceGroup;
    }

    /** The name in {@code groupBy}, e.g. {@code resourceGroup}. */
    public String parameter() {
        return parameter;
    }

    String keySql() {
        return keySql;
    }

    String labelSql() {
        return labelSql;
    }

    boolean joinsResource() {
        return joinsResource;
    }

    boolean joinsResourceGroup() {
        return joinsResourceGroup;
    }

    /** The dimension with that {@code groupBy} name, ignoring case. */
    public static Optional<Dimension> fromParameter(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.parameter.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    }
}
