package dev.canopy.tagsync.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Stores a tag map as a JSON object in a text column. Text rather than jsonb because jsonb sorts the names, and an
 * audit trail should show the tags in the order and spelling the caller sent and Azure returned.
 */
@Converter
public class TagMapConverter implements AttributeConverter<Map<String, String>, String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(Map<String, String> tags) {
        if (tags == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(tags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String column) {
        if (column == null) {
            return null;
        }
        try {
            return JSON.readValue(column, TAGS);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored tag map is not a JSON object of strings", e);
        }
    }
}
