package dev.canopy.events.azure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed Azure Resource Manager id: case-insensitive identity ({@link #key()}) with the original spelling kept
 * ({@link #displayId()}).
 *
 * <p>Accepted shapes (segment keywords in any casing):
 * <ul>
 *   <li>{@code /subscriptions/{id}} — {@link ScopeKind#SUBSCRIPTION}</li>
 *   <li>{@code /subscriptions/{id}/resourceGroups/{rg}} — {@link ScopeKind#RESOURCE_GROUP}</li>
 *   <li>{@code /subscriptions/{id}[/resourceGroups/{rg}]/providers/{ns}/{type}/{name}[/{childType}/{childName}]...}
 *       — {@link ScopeKind#RESOURCE}; an extension resource
 *       ({@code .../{name}/providers/{ns2}/{type2}/{name2}}) takes its namespace and type from the last provider.</li>
 * </ul>
 * A trailing slash and a leading double slash (the Azure SDK sends {@code //subscriptions/...}) are tolerated and
 * dropped from {@link #displayId()}. Anything else is rejected with an {@link IllegalArgumentException} that names
 * the fault. Ids outside a subscription (e.g. {@code /providers/Microsoft.Capacity/reservationOrders/...} in cost
 * exports) are not ARM resources Canopy can tag; use {@link #lenientKey(String)} for those.
 */
public final class ArmResourceId {

    /** Which kind of ARM scope an id names. */
    public enum ScopeKind { SUBSCRIPTION, RESOURCE_GROUP, RESOURCE }

    private static final String SUBSCRIPTIONS = "subscriptions";
    private static final String RESOURCE_GROUPS = "resourceGroups";
    private static final String PROVIDERS = "providers";
    private static final String RESOURCES_NAMESPACE = "Microsoft.Resources";

    private final String displayId;
    private final String key;
    private final String subscriptionId;
    private final String resourceGroup;
    private final String providerNamespace;
    private final String resourceType;
    private final String name;
    private final ScopeKind scopeKind;

    private ArmResourceId(String displayId, String subscriptionId, String resourceGroup, String providerNamespace,
                          String resourceType, String name, ScopeKind scopeKind) {
        this.displayId = displayId;
        this.key = displayId.toLowerCase(Locale.ROOT);
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.providerNamespace = providerNamespace;
        this.resourceType = resourceType;
        this.name = name;
        this.scopeKind = scopeKind;
    }

    /**
     * Parses an ARM id.
     *
     * @param id the id as Azure, a cost export or a client sent it
     * @return the parsed id
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code id} is not a subscription, resource group or resource id
     */
    public static ArmResourceId parse(String id) {
        Objects.requireNonNull(id, "ARM resource id is null");
        if (id.isBlank()) {
            throw malformed(id, "is blank");
        }
        if (!id.strip().equals(id)) {
            throw malformed(id, "has leading or trailing whitespace");
        }
        String[] segments = segments(id);
        if (!id.startsWith("/") || segments.length == 0 || !segments[0].equalsIgnoreCase(SUBSCRIPTIONS)) {
            throw malformed(id, "does not start with /subscriptions/");
        }
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                throw malformed(id, "has an empty segment at position " + (i + 1) + " (a double slash inside the id)");
            }
            // A URL built from the id would resolve these to another scope (even another subscription) than the one
            // the id was checked against; no ARM name is "." or "..".
            if (segments[i].equals(".") || segments[i].equals("..")) {
                throw malformed(id, "has a '" + segments[i] + "' segment at position " + (i + 1));
            }
            if (segments[i].chars().anyMatch(Character::isISOControl)) {
                throw malformed(id, "has a control character in segment " + (i + 1));
            }
        }
        if (segments.length < 2) {
            throw malformed(id, "missing subscription id after 'subscriptions'");
        }
        String display = "/" + String.join("/", segments);
        String subscriptionId = segments[1];
        int i = 2;
        if (i == segments.length) {
            return new ArmResourceId(display, subscriptionId, null, RESOURCES_NAMESPACE,
                    RESOURCES_NAMESPACE + "/subscriptions", subscriptionId, ScopeKind.SUBSCRIPTION);
        }
        String resourceGroup = null;
        if (segments[i].equalsIgnoreCase(RESOURCE_GROUPS)) {
            if (i + 1 == segments.length) {
                throw malformed(id, "missing resource group name after 'resourceGroups'");
            }
            resourceGroup = segments[i + 1];
            i += 2;
            if (i == segments.length) {
                return new ArmResourceId(display, subscriptionId, resourceGroup, RESOURCES_NAMESPACE,
                        RESOURCES_NAMESPACE + "/resourceGroups", resourceGroup, ScopeKind.RESOURCE_GROUP);
            }
        }
        if (!segments[i].equalsIgnoreCase(PROVIDERS)) {
            String expected = resourceGroup == null ? "'resourceGroups' or 'providers'" : "'providers'";
            throw malformed(id, "unexpected segment '" + segments[i] + "' where " + expected + " was expected");
        }
        return parseProviderPart(id, display, subscriptionId, resourceGroup, Arrays.copyOfRange(segments, i, segments.length));
    }

    /** Parses {@code providers/{ns}/{type}/{name}...}, the pairs that follow a subscription or resource group scope. */
    private static ArmResourceId parseProviderPart(String id, String display, String subscriptionId,
                                                   String resourceGroup, String[] rest) {
        // rest[0] is "providers". From there on the id is a list of (type, name) pairs in which a
        // ("providers", namespace) pair starts an extension resource: the last provider wins.
        if (rest.length < 2) {
            throw malformed(id, "missing provider namespace after 'providers'");
        }
        if (rest.length % 2 != 0) {
            throw malformed(id, "odd number of type/name segments after provider '" + rest[1] + "'");
        }
        String namespace = null;
        List<String> types = new ArrayList<>();
        for (int p = 0; p < rest.length; p += 2) {
            if (rest[p].equalsIgnoreCase(PROVIDERS)) {
                namespace = rest[p + 1];
                types.clear();
            } else {
                types.add(rest[p]);
            }
        }
        if (types.isEmpty()) {
            throw malformed(id, "missing resource type after provider '" + namespace + "'");
        }
        String resourceType = namespace + "/" + String.join("/", types);
        return new ArmResourceId(display, subscriptionId, resourceGroup, namespace, resourceType,
                rest[rest.length - 1], ScopeKind.RESOURCE);
    }

    /**
     * The normalized key of an id that may not be a subscription-scoped ARM id (cost exports carry e.g.
     * {@code /providers/Microsoft.Capacity/reservationOrders/.../reservations/}). For every id {@link #parse} accepts,
     * the result equals {@code parse(id).key()}.
     *
     * @param id an id, or {@code null}
     * @return lower-cased id with one leading slash and no trailing slash; {@code null} for a null or blank id
     */
    public static String lenientKey(String id) {
        if (id == null || id.isBlank()) {
            return null;
        }
        return ("/" + String.join("/", segments(id.strip()))).toLowerCase(Locale.ROOT);
    }

    /** Splits an id into segments after dropping up to two leading slashes and one trailing slash. */
    private static String[] segments(String id) {
        String s = id.startsWith("//") ? id.substring(2) : id.startsWith("/") ? id.substring(1) : id;
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? new String[0] : s.split("/", -1);
    }

    private static IllegalArgumentException malformed(String id, String fault) {
        return new IllegalArgumentException("Malformed ARM resource id '" + id + "': " + fault);
    }

    /** @return the normalized identity: lower-cased, one leading slash, no trailing slash — join and key on this */
    public String key() {
        return key;
    }

    /** @return the id in its original casing (leading double slash and trailing slash dropped) — show this */
    public String displayId() {
        return displayId;
    }

    /** @return the subscription id, as spelled in the id */
    public String subscriptionId() {
        return subscriptionId;
    }

    /** @return the resource group name as spelled in the id, or {@code null} for a subscription-level id */
    public String resourceGroup() {
        return resourceGroup;
    }

    /** @return the provider namespace, e.g. {@code Microsoft.Network}; {@code Microsoft.Resources} for a subscription or resource group */
    public String providerNamespace() {
        return providerNamespace;
    }

    /**
     * @return the full type including child types, e.g. {@code Microsoft.Network/virtualNetworks/subnets};
     *     {@code Microsoft.Resources/subscriptions} or {@code Microsoft.Resources/resourceGroups} for those scopes
     */
    public String resourceType() {
        return resourceType;
    }

    /** @return the last segment: the resource name, the resource group name or the subscription id */
    public String name() {
        return name;
    }

    /** @return whether this id names a subscription, a resource group or a resource */
    public ScopeKind scopeKind() {
        return scopeKind;
    }

    /**
     * @param type a resource type such as {@code Microsoft.Storage/storageAccounts}
     * @return whether this id's type is {@code type}, ignoring case
     */
    public boolean isType(String type) {
        return resourceType.equalsIgnoreCase(type);
    }

    /** @return whether this is a storage account (tag names limited to 128 characters) */
    public boolean isStorageAccount() {
        return isType("Microsoft.Storage/storageAccounts");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArmResourceId other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return displayId;
    }
}
