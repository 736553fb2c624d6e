package dev.canopy.collector.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Content hashes that decide whether a snapshot is owed: equal content, equal fingerprint. */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** Hash of the given parts, each length-prefixed so that ("ab","c") and ("a","bc") differ. */
    public static String of(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            String s = part == null ? "\u0000" : part.toString();
            text.append(s.length()).append(':').append(s).append('|');
        }
        return sha256(text.toString());
    }

    /** Hash of a tag set; names and values as Azure returns them, independent of the order Azure lists them in. */
    public static String ofTags(Map<String, String> tags) {
        return of(new TreeMap<>(tags == null ? Map.of() : tags).entrySet().toArray());
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }
}
