package dev.canopy.local;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

/**
 * The customer admin's browser in the consent flow: keeps cookies, follows every redirect (Canopy's consent URL, its
 * code flow, Entra ID's authorize and back), and on the sign-in page fills in the admin's login and password and
 * presses the page's Accept button — the form as the page serves it, hidden fields included.
 */
final class ConsentBrowser {

    private static final int MAX_REDIRECTS = 10;
    private static final Pattern FORM = Pattern.compile("<form[^>]*method=\"post\"[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HIDDEN = Pattern.compile(
            "<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern BUTTON = Pattern.compile(
            "<button[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"[^>]*>\\s*([^<]*?)\\s*</button>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ERROR = Pattern.compile("id=\"error\"[^>]*>([^<]*)<");

    private final HttpClient http;
    private final List<String> trail = new ArrayList<>();

    ConsentBrowser(SSLContext sslContext) {
        this.http = HttpClient.newBuilder().sslContext(sslContext).followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Opens the consent URL, signs in as the admin and accepts; returns Canopy's answer at the end of the redirects
     * (consent-service's callback: 202 with the session running).
     */
    HttpResponse<String> consent(String consentUrl, String login, String password) {
        HttpResponse<String> page = follow(request(URI.create(consentUrl)).GET().build());
        Matcher form = FORM.matcher(page.body());
        if (page.statusCode() != 200 || !form.find()) {
            throw new IllegalStateException("no sign-in page at the end of " + trail + ": " + page.statusCode() + " "
                    + page.body());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(form.group(2));
        while (hidden.find()) {
            fields.put(hidden.group(1), unescape(hidden.group(2)));
        }
        fields.put("login", login);
        fields.put("password", password);
        Matcher button = BUTTON.matcher(form.group(2));
        boolean accepted = false;
        while (button.find() && !accepted) {
            if (button.group(3).equalsIgnoreCase("Accept")) {
                fields.put(button.group(1), button.group(2));
                accepted = true;
            }
        }
        if (!accepted) {
            throw new IllegalStateException("the sign-in page at " + page.uri() + " has no Accept button");
        }
        String body = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer = follow(request(page.uri().resolve(unescape(form.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        Matcher error = ERROR.matcher(answer.body());
        if (answer.statusCode() == 200 && error.find()) {
            throw new IllegalStateException("Entra ID refused the sign-in: " + unescape(error.group(1)));
        }
        return answer;
    }

    /** Where the browser went, for messages. */
    List<String> trail() {
        return List.copyOf(trail);
    }

    private HttpResponse<String> follow(HttpRequest first) {
        HttpRequest request = first;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<String> response = send(request);
            trail.add(request.method() + " " + strip(request.uri()) + " -> " + response.statusCode());
            if (response.statusCode() / 100 != 3) {
                return response;
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) {
                throw new IllegalStateException(strip(request.uri()) + " redirected without a Location");
            }
            request = request(request.uri().resolve(location)).GET().build();
        }
        throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects: " + trail);
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", "text/html,application/json");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + strip(request.uri()) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + strip(request.uri()), e);
        }
    }

    // Codes and states in query strings are secrets of the flow: the trail shows where, not what.
    private static String strip(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
