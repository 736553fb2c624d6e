package dev.canopy.emulator.arm;

import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Request;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * ARM list paging: a page of at most {@code $top} (or the default page size) items after the {@code $skiptoken},
 * and a {@code nextLink} that repeats the original query with a new {@code %24skiptoken}. The token is the last
 * key served, so paging stays consistent while the world changes.
 *
 * <p>Tokens carry a MAC: ARM's skip tokens are opaque and a client that edits or invents one gets a 400, so a
 * client that builds its own tokens must fail here too rather than be served some page.
 */
public final class Paging {

    /** One page and the link to the next (null on the last page). */
    public record Page<T>(List<T> items, String nextLink) {
    }

    // One key per process: tokens of an earlier run are as invalid as forged ones.
    private static final byte[] MAC_KEY = randomKey();
    private static final int MAC_BYTES = 12;

    private Paging() {
    }

    /**
     * @param sorted items ordered by {@code key}
     * @param maxTop the largest {@code $top} the operation accepts
     */
    public static <T> Page<T> page(Request request, List<T> sorted, Function<T, String> key, int defaultSize, int maxTop) {
        int size = defaultSize;
        String top = request.query("$top");
        if (top != null) {
            try {
                size = Integer.parseInt(top.trim());
            } catch (NumberFormatException e) {
                throw ArmException.badRequest("InvalidTopInQueryString", "The $top query parameter value '" + top + "' is invalid.");
            }
            if (size < 1 || size > maxTop) {
                throw ArmException.badRequest("InvalidTopInQueryString", "The $top query parameter value '" + top
                        + "' is invalid. It must be between 1 and " + maxTop + ".");
            }
        }
        String after = decode(request.query("$skiptoken"));
        List<T> page = new ArrayList<>();
        boolean more = false;
        for (T item : sorted) {
            String k = key.apply(item).toLowerCase(Locale.ROOT);
            if (after != null && k.compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == size) {
                more = true;
                break;
            }
            page.add(item);
        }
        String next = more ? nextLink(request, key.apply(page.get(page.size() - 1)).toLowerCase(Locale.ROOT)) : null;
        return new Page<>(page, next);
    }

    /** @return the request's own URL with {@code $skiptoken} replaced */
    public static String nextLink(Request request, String lastKey) {
        StringBuilder sb = new StringBuilder(request.baseUrl()).append(request.path()).append('?');
        request.queryParameters().forEach((name, values) -> {
            if (!name.equals("$skiptoken")) {
                values.forEach(v -> sb.append(enc(name)).append('=').append(enc(v)).append('&'));
            }
        });
        return sb.append("%24skiptoken=").append(encodeToken(lastKey)).toString();
    }

    /** @return an opaque, tamper-evident token for {@code value} */
    public static String encodeToken(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(bytes) + "." + b64.encodeToString(mac(bytes));
    }

    /**
     * @return the value of a token made by {@link #encodeToken}, or null for none
     * @throws ArmException 400 InvalidSkipToken for a token this emulator did not issue
     */
    public static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        int dot = token.indexOf('.');
        try {
            if (dot > 0) {
                byte[] bytes = Base64.getUrlDecoder().decode(token.substring(0, dot));
                byte[] given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
                if (MessageDigest.isEqual(mac(bytes), given)) {
                    return new String(bytes, StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below like any other token we did not issue
        }
        throw ArmException.badRequest("InvalidSkipToken", "The skip token '" + token + "' is invalid.");
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static byte[] mac(byte[] value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(MAC_KEY, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(value), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
