package dev.canopy.tagsync.azure;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.canopy.events.TagEditOutcome.Outcome;

/**
 * What became of one {@link TagWriteRequest} in Azure.
 *
 * @param outcome {@code APPLIED}, {@code REJECTED_BY_AZURE_RULES}, {@code FAILED_PERMISSION}, {@code FAILED} or
 *     {@code UNKNOWN}
 * @param reason why, for anything but a plain {@code APPLIED}: the violated rules, or Azure's code and message
 * @param azureTagsAfter the tags Azure holds afterwards as read back (names in Azure's spelling), or {@code null} if
 *     they could not be read
 * @param sent the call sent to Azure (retries of the same call not counted), or {@code null} if nothing was sent
 * @param sentAt when the call was first sent, or {@code null} if nothing was sent
 */
public record TagWriteResult(Outcome outcome, String reason, Map<String, String> azureTagsAfter, TagsApiRequest sent,
                             Instant sentAt) {

    /** Validates and freezes the fields. */
    public TagWriteResult {
        Objects.requireNonNull(outcome, "outcome is required");
        azureTagsAfter = azureTagsAfter == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(azureTagsAfter));
    }

    /** A result of a write that was never sent. */
    static TagWriteResult notSent(Outcome outcome, String reason) {
        return new TagWriteResult(outcome, reason, null, null, null);
    }
}
