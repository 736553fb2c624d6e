package dev.canopy.tagsync.azure;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the tags Azure holds at a resource, resource group or subscription (Tags_GetAtScope) as Canopy's principal. */
@ApplicationScoped
public class AzureTagsReader {

    private final ArmPipelines arm;
    private final ObjectMapper json;

    public AzureTagsReader(ArmPipelines arm, ObjectMapper json) {
        this.arm = arm;
        this.json = json;
    }

    /**
     * @param tenantId the customer tenant that holds the resource
     * @param displayResourceId the ARM id in Azure's casing
     * @return the tags as Azure holds them, names in Azure's spelling, in Azure's order; empty when there are none
     * @throws AzureTagsException when Azure refused (403, 404, ...) or did not answer, after the pipeline's retries
     */
    public Map<String, String> currentTags(String tenantId, String displayResourceId) {
        ArmPipelines.Answer answer = arm.get(tenantId, TagsApiRequest.url(arm.armEndpoint(), displayResourceId));
        if (answer.status() != 200) {
            throw AzureTagsException.fromAnswer(answer.status(), answer.body(), json);
        }
        return tags(answer.body());
    }

    /** @return {@code properties.tags} of a TagsResource body (AZURE-CONTRACTS §2.6); empty when absent */
    private Map<String, String> tags(String tagsResource) {
        try {
            JsonNode tags = json.readTree(tagsResource).path("properties").path("tags");
            Map<String, String> result = new LinkedHashMap<>();
            tags.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
            return Collections.unmodifiableMap(result);
        } catch (IOException e) {
            throw new AzureTagsException(200, "InvalidResponse", "the tags answer is not JSON: " + e.getMessage(), e);
        }
    }
}
