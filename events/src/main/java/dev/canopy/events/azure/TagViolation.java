package dev.canopy.events.azure;

import java.util.Objects;

/**
 * One way a tag set breaks Azure's tag rules.
 *
 * @param tagName the offending tag name as given, or {@code null} for a rule on the whole set (too many tags, a type that cannot be tagged)
 * @param rule the rule broken
 * @param message a human sentence naming the limit and the actual value
 * @param azureErrorCode the ARM error code Azure answers with (see {@link Rule#azureErrorCode()})
 */
public record TagViolation(String tagName, Rule rule, String message, String azureErrorCode) {

    /** The tag rules of AZURE-CONTRACTS §4.1, each with the ARM error code an emulator answers with. */
    public enum Rule {
        /**
         * More than 50 tags (15 for some resource types). Code from Microsoft's own Az.Migrate client-side check
         * ("InvalidTags : Too many tags specified"); NOT confirmed as the code ARM's Tags API returns.
         */
        TOO_MANY_TAGS("InvalidTags"),
        /**
         * Empty or whitespace-only name. ARM's message is "The tag name must be non-null, non-empty and
         * non-whitespace only"; code "InvalidTagName" as mirrored by Microsoft's Az.Migrate module (not confirmed
         * against a recorded ARM response).
         */
        NAME_EMPTY("InvalidTagName"),
        /** Name longer than 512 (storage accounts: 128). Code as mirrored by Az.Migrate ("Tag key too large"); not confirmed. */
        NAME_TOO_LONG("InvalidTagName"),
        /**
         * Name contains {@code < > % & \ ? /} or a control character. Confirmed: Azure CLI output in the azure-docs
         * shows "(InvalidTagNameCharacters) The tag names '...' have reserved characters '<,>,%,&,\,?,/'".
         */
        NAME_INVALID_CHARACTERS("InvalidTagNameCharacters"),
        /** Names equal ignoring case. Canopy's own rule: ARM collapses such names silently; code chosen by us, not Azure's. */
        NAME_NOT_UNIQUE("DuplicateTagNames"),
        /** Value longer than 256. Code as mirrored by Az.Migrate ("Tag value too large"); not confirmed. */
        VALUE_TOO_LONG("InvalidTagValueLength"),
        /** Value is null (JSON {@code null}). Code chosen by us in ARM style; not confirmed. */
        VALUE_MISSING("InvalidTagValue"),
        /**
         * The resource type cannot hold tags at all ({@link AzureTagRules#supportsTags(String)}: classic resources,
         * role assignments, locks, policy objects, diagnostic settings, subnets, management groups). Code chosen by
         * us in ARM style; the code ARM's Tags API answers with was not confirmed against a recording.
         */
        TYPE_NOT_TAGGABLE("TagsNotSupported");

        private final String azureErrorCode;

        Rule(String azureErrorCode) {
            this.azureErrorCode = azureErrorCode;
        }

        /** @return the {@code error.code} of the ARM error envelope for this rule */
        public String azureErrorCode() {
            return azureErrorCode;
        }
    }

    /** Validates the fields; a violation always has a rule, a message and a code. */
    public TagViolation {
        Objects.requireNonNull(rule, "rule is required");
        Objects.requireNonNull(message, "message is required");
        Objects.requireNonNull(azureErrorCode, "azureErrorCode is required");
    }

    /**
     * A violation with the rule's own ARM error code.
     *
     * @param tagName the offending tag name, or {@code null} for a whole-set rule
     * @param rule the rule broken
     * @param message a human sentence naming the limit and the actual value
     */
    public TagViolation(String tagName, Rule rule, String message) {
        this(tagName, rule, message, rule.azureErrorCode());
    }
}
