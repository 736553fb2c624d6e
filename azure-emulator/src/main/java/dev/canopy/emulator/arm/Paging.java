package dev.canopy.emulator.arm;

import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Request;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * ARM list paging: a page of at most {@code $top} (or the default page size) items after the {@code $skiptoken},
 * and a {@code nextLink} that repeats the original query with a new {@code %24skiptoken}. The token is the last
 * key served, so paging stays consistent while the world changes.
 */
public final class Paging {

    /** One page and the link to the next (null on the last page). */
    public record Page<T>(List<T> items, String nextLink) {
    }

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

    public static String encodeToken(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    public static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest("InvalidSkipToken", "The skip token '" + token + "' is invalid.");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
