package dev.canopy.tagsync.azure;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagOperation;

/**
 * One ARM Tags API call exactly as tag-sync sends it (AZURE-CONTRACTS §2.6): what {@link AzureTagsWriter} sends and
 * what a preview shows.
 *
 * @param method the HTTP method ({@code PATCH})
 * @param url the absolute URL, {@code {arm}{resourceId}/providers/Microsoft.Resources/tags/default?api-version=...}
 * @param body the JSON body: {@code {"operation": "Merge"|"Replace"|"Delete", "properties": {"tags": {...}}}}, in order
 */
public record TagsApiRequest(String method, String url, Map<String, Object> body) {

    /** The Tags API version: the one in ARM's recorded traffic (AZURE-CONTRACTS §5), accepted by the emulator. */
    public static final String API_VERSION = "2021-04-01";

    private static final String TAGS_PATH = "/providers/Microsoft.Resources/tags/default";
    // RFC 3986 pchar without percent: what may stand unencoded in a path segment.
    private static final String SEGMENT_SAFE = "-._~!$&'()*+,;=:@";

    /** Validates the fields and freezes the body. */
    public TagsApiRequest {
        Objects.requireNonNull(method, "method is required");
        Objects.requireNonNull(url, "url is required");
        body = body == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    /**
     * The PATCH that applies {@code operation} with {@code tags} at a resource, resource group or subscription.
     * Names and values are taken as given (byte for byte); re-spelling names to Azure's is {@link TagWritePlan}'s job.
     *
     * @param armEndpoint the ARM base URL ({@code AzureConnection.armEndpoint()})
     * @param displayResourceId the ARM id in Azure's casing
     * @param operation Merge, Replace or Delete
     * @param tags the tags of the operation (for Delete: the names, with an empty value or the value to match)
     * @return the call
     */
    public static TagsApiRequest of(String armEndpoint, String displayResourceId, TagOperation operation,
                                    Map<String, String> tags) {
        Objects.requireNonNull(operation, "operation is required");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", operation.armName());
        body.put("properties", Map.of("tags", Collections.unmodifiableMap(new LinkedHashMap<>(tags))));
        return new TagsApiRequest("PATCH", url(armEndpoint, displayResourceId), body);
    }

    /**
     * @param armEndpoint the ARM base URL, with or without a trailing slash
     * @param displayResourceId a subscription, resource group or resource id
     * @return the URL of the tags at that scope (GET reads them, PATCH changes them)
     */
    public static String url(String armEndpoint, String displayResourceId) {
        String base = armEndpoint.endsWith("/") ? armEndpoint.substring(0, armEndpoint.length() - 1) : armEndpoint;
        StringBuilder url = new StringBuilder(base);
        // The parsed display id has one leading slash and no empty segment (the SDK's "//subscriptions" is dropped).
        for (String segment : ArmResourceId.parse(displayResourceId).displayId().substring(1).split("/")) {
            url.append('/').append(encodeSegment(segment));
        }
        return url.append(TAGS_PATH).append("?api-version=").append(API_VERSION).toString();
    }

    /** Percent-encodes what a path segment may not hold as is (spaces, non-ASCII letters of group names). */
    private static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || SEGMENT_SAFE.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
