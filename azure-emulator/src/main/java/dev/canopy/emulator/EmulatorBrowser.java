package dev.canopy.emulator;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plays the person at the browser for consent flows: opens an authorize or admin-consent URL, signs in on the
 * emulator's page and presses Accept or Cancel, and returns where Entra redirects to (the app's callback URL with
 * {@code code}/{@code state} or {@code error}). It does not follow the redirect: the test hands it to the app.
 */
public final class EmulatorBrowser {

    private static final Pattern REQUEST_ID = Pattern.compile("name=\"request_id\" value=\"([^\"]+)\"");
    private static final Pattern ERROR = Pattern.compile("id=\"error\"[^>]*>([^<]*)<");

    private final HttpClient http;

    EmulatorBrowser(SSLContext sslContext) {
        this.http = HttpClient.newBuilder().sslContext(sslContext).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Signs in and accepts; returns the redirect target. */
    public URI consent(String authorizeUrl, String login, String password) {
        return submit(authorizeUrl, login, password, "accept");
    }

    /** Signs in and presses Cancel; returns the redirect target (with {@code error=access_denied}). */
    public URI cancel(String authorizeUrl, String login, String password) {
        return submit(authorizeUrl, login, password, "cancel");
    }

    private URI submit(String url, String login, String password, String button) {
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() == 302) {
                return URI.create(page.headers().firstValue("Location").orElseThrow());
            }
            Matcher m = REQUEST_ID.matcher(page.body());
            if (page.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("no sign-in page at " + url + ": " + page.statusCode() + " " + errorOf(page.body()));
            }
            Map<String, String> form = Map.of("request_id", m.group(1), "login", login, "password", password, "consent", button);
            String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            URI action = URI.create(url.substring(0, url.indexOf('?') < 0 ? url.length() : url.indexOf('?')));
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(action)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 302) {
                throw new IllegalStateException("sign-in did not redirect: " + answer.statusCode() + " " + errorOf(answer.body()));
            }
            return URI.create(answer.headers().firstValue("Location").orElseThrow());
        } catch (IOException e) {
            throw new IllegalStateException("consent page failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            // A JDK HttpClient whose facade becomes unreachable stops its selector thread, and a send in flight then
            // never completes. A browser is often used once and dropped (azure.browser().consent(...)), so keep its
            // client reachable until the exchange is over.
            Reference.reachabilityFence(http);
        }
    }

    private static String errorOf(String html) {
        Matcher m = ERROR.matcher(html);
        return m.find() ? m.group(1) : "";
    }
}
