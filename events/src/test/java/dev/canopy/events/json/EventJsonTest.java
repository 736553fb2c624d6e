package dev.canopy.events.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.SampleEvents;
import dev.canopy.events.SpendLine;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.TenantOnboarded;
import dev.canopy.events.topic.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonTest {

    private static final ObjectMapper MAPPER = EventJson.mapper();

    /** Amounts from the EA cost exports and the FOCUS sample, plus the classic double trap. */
    @ParameterizedTest
    @ValueSource(strings = {"0.1000000001", "12.3400", "0.0000000072922557592391990000", "0.0001188669167459011366",
            "-0.01288992000", "0.0000001", "1E+3", "0", "3.25"})
    void amountsRoundTripExactlyAsPlainStringsWithTheirScale(String amount) throws IOException {
        BigDecimal value = new BigDecimal(amount);
        SpendSnapshot snapshot = spendWith(value);

        byte[] json = EventJson.write(snapshot);
        JsonNode written = MAPPER.readTree(json).get("lines").get(0).get("amount");
        SpendSnapshot read = EventJson.read(json, SpendSnapshot.class);

        assertThat(written.isTextual()).isTrue();
        assertThat(written.asText()).isEqualTo(value.toPlainString());
        BigDecimal readAmount = read.lines().get(0).amount();
        assertThat(readAmount.compareTo(value)).isZero();
        assertThat(readAmount.scale()).isEqualTo(Math.max(value.scale(), 0));
    }

    @Test
    void amountsKeepScaleSoTheRecordsAreEqual() {
        SpendSnapshot snapshot = spendWith(new BigDecimal("12.3400"));

        assertThat(EventJson.read(EventJson.write(snapshot), SpendSnapshot.class)).isEqualTo(snapshot);
    }

    @Test
    void aNumericAmountFromALenientProducerIsReadExactly() {
        byte[] json = "{\"amount\":0.1000000001,\"currency\":\"USD\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(EventJson.read(json, SpendLine.class).amount()).isEqualTo(new BigDecimal("0.1000000001"));
    }

    @Test
    void nullsAreWrittenNotOmittedAndTimesAreIsoStrings() throws IOException {
        TenantOnboarded event = (TenantOnboarded) SampleEvents.of(EventType.TENANT_ONBOARDED);
        SpendSnapshot spend = (SpendSnapshot) SampleEvents.of(EventType.SPEND_SNAPSHOT);

        JsonNode spendJson = MAPPER.readTree(EventJson.write(spend));
        JsonNode onboarded = MAPPER.readTree(EventJson.write(event));

        assertThat(spendJson.get("lines").get(1).has("resourceGroup")).isTrue();
        assertThat(spendJson.get("lines").get(1).get("resourceGroup").isNull()).isTrue();
        assertThat(spendJson.get("usageDate").asText()).isEqualTo("2023-09-03");
        assertThat(onboarded.get("occurredAt").asText()).isEqualTo("2023-09-04T06:15:30.123Z");
    }

    @Test
    void tagOrderSurvivesARoundTrip() {
        TagSnapshot snapshot = (TagSnapshot) SampleEvents.of(EventType.TAG_SNAPSHOT);

        TagSnapshot read = EventJson.read(EventJson.write(snapshot), TagSnapshot.class);

        assertThat(read.tags().keySet()).containsExactlyElementsOf(SampleEvents.focusTags().keySet());
    }

    @Test
    void readByCeTypePicksTheRecordClass() {
        CanopyEvent sample = SampleEvents.of(EventType.TAG_SNAPSHOT);

        assertThat(EventJson.read(EventJson.write(sample), "canopy.tag.snapshot")).isInstanceOf(TagSnapshot.class);
    }

    @Test
    void anUnknownCeTypeIsAnEventJsonExceptionNamingIt() {
        byte[] json = EventJson.write(SampleEvents.of(EventType.TAG_SNAPSHOT));

        assertThatThrownBy(() -> EventJson.read(json, "canopy.tag.renamed"))
                .isInstanceOf(EventJsonException.class)
                .hasMessageContaining("unknown CloudEvents type 'canopy.tag.renamed'")
                .extracting(e -> ((EventJsonException) e).eventType()).isEqualTo("canopy.tag.renamed");
    }

    @Test
    void malformedJsonNamesTheTypeAndTheCause() {
        byte[] json = "{\"eventId\": \"not-a-uuid\"".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventJson.read(json, "canopy.tenant.onboarded"))
                .isInstanceOf(EventJsonException.class)
                .hasMessageStartingWith("Cannot read canopy.tenant.onboarded (TenantOnboarded): ")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws IOException {
        ObjectNode tree = (ObjectNode) MAPPER.readTree(EventJson.write(SampleEvents.of(EventType.TAG_SNAPSHOT)));
        tree.remove("fingerprint");

        assertThatThrownBy(() -> EventJson.read(MAPPER.writeValueAsBytes(tree), "canopy.tag.snapshot"))
                .isInstanceOf(EventJsonException.class)
                .hasMessageContaining("canopy.tag.snapshot (TagSnapshot)")
                .hasMessageContaining("fingerprint is required");
    }

    @Test
    void anInvalidFieldValueIsNamed() throws IOException {
        ObjectNode tree = (ObjectNode) MAPPER.readTree(EventJson.write(SampleEvents.of(EventType.TAG_SNAPSHOT)));
        tree.put("displayId", "/subscriptions/9ec51cfd-5ca7-4d76-8101-dd0a4abc5674/resourceGroups");

        assertThatThrownBy(() -> EventJson.read(MAPPER.writeValueAsBytes(tree), TagSnapshot.class))
                .isInstanceOf(EventJsonException.class)
                .hasMessageContaining("missing resource group name after 'resourceGroups'");
    }

    @Test
    void anUnknownEnumConstantFails() throws IOException {
        ObjectNode tree = (ObjectNode) MAPPER.readTree(EventJson.write(SampleEvents.of(EventType.SPEND_SNAPSHOT)));
        tree.put("costType", "FORECAST");

        assertThatThrownBy(() -> EventJson.read(MAPPER.writeValueAsBytes(tree), SpendSnapshot.class))
                .isInstanceOf(EventJsonException.class)
                .hasMessageContaining("FORECAST");
    }

    @Test
    void tombstonesJsonNullTrailingGarbageAndDuplicateFieldsAreRejected() {
        byte[] valid = EventJson.write(SampleEvents.of(EventType.TENANT_OFFBOARDED));
        String validText = new String(valid, StandardCharsets.UTF_8);
        String duplicated = validText.replaceFirst("\\{", "{\"tenantId\":\"x\",");

        List<byte[]> invalid = List.of("null".getBytes(StandardCharsets.UTF_8),
                (validText + " {}").getBytes(StandardCharsets.UTF_8),
                duplicated.getBytes(StandardCharsets.UTF_8),
                new byte[0]);

        assertThatThrownBy(() -> EventJson.read(null, "canopy.tenant.offboarded"))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("tombstone");
        for (byte[] json : invalid) {
            assertThatThrownBy(() -> EventJson.read(json, "canopy.tenant.offboarded"))
                    .as(new String(json, StandardCharsets.UTF_8))
                    .isInstanceOf(EventJsonException.class)
                    .hasMessageContaining("canopy.tenant.offboarded");
        }
    }

    @Test
    void theSharedMapperCannotBeReconfiguredThroughMapper() {
        ObjectMapper copy = EventJson.mapper();
        copy.enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        String json = new String(EventJson.write(SampleEvents.of(EventType.TENANT_OFFBOARDED)), StandardCharsets.UTF_8);

        assertThat(json).contains("\"occurredAt\":\"2023-09-04T06:15:30.123Z\"");
    }

    private static SpendSnapshot spendWith(BigDecimal amount) {
        SpendSnapshot sample = (SpendSnapshot) SampleEvents.of(EventType.SPEND_SNAPSHOT);
        return new SpendSnapshot(sample.eventId(), sample.occurredAt(), sample.tenantId(), sample.subscriptionId(),
                sample.usageDate(), sample.costType(), sample.source(),
                List.of(new SpendLine(SampleEvents.RESOURCE_KEY, null, null, "Bandwidth", "Bandwidth", amount, "USD")),
                sample.collectionRunId());
    }
}
