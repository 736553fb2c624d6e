package dev.canopy.events.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes a money amount as a JSON string in plain notation with its scale ({@code "12.3400"}, never {@code 1.234E+1}).
 *
 * <p>Why a string: a JSON number is parsed as a binary double by JavaScript and by most generic JSON tooling, which
 * turns {@code 0.1000000001} sums into rounding errors. Why on the field rather than only in {@link EventJson}'s
 * mapper: services may (de)serialize events with their own ObjectMapper (e.g. Quarkus'), and the contract must not
 * depend on which mapper runs. Reading needs nothing special: Jackson parses a string into a {@code BigDecimal} exactly.
 */
public final class DecimalStringSerializer extends StdSerializer<BigDecimal> {

    /** Creates the serializer (Jackson instantiates it from {@code @JsonSerialize}). */
    public DecimalStringSerializer() {
        super(BigDecimal.class);
    }

    @Override
    public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(value.toPlainString());
    }
}
