package dev.canopy.events.azure;

/** Azure's notion of "the same tag name": names compare case-insensitively, values case-sensitively. */
public final class TagNames {

    private TagNames() {
    }

    /**
     * The case-folded form of a tag name, for use as a map key.
     *
     * <p>Folded char by char (upper, then lower case), the same mapping {@link String#equalsIgnoreCase} uses and
     * the closest Java match to .NET's ordinal-ignore-case comparison; {@code String.toLowerCase} would apply
     * locale and multi-char rules Azure does not.
     *
     * @param name a tag name
     * @return a string equal for exactly the names Azure treats as one
     */
    public static String fold(String name) {
        char[] chars = name.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toLowerCase(Character.toUpperCase(chars[i]));
        }
        return new String(chars);
    }

    /**
     * @param a a tag name
     * @param b another tag name
     * @return whether Azure treats both as the same tag
     */
    public static boolean same(String a, String b) {
        return fold(a).equals(fold(b));
    }
}
