package dev.canopy.emulator.entra;

import dev.canopy.emulator.world.Application;

import java.util.List;
import java.util.Map;

/**
 * The HTML of Entra's sign-in + consent page, its error page, and the auto-submitting form of
 * {@code response_mode=form_post}. Field names: {@code request_id}, {@code login}, {@code password},
 * {@code consent} ({@code accept} or {@code cancel}).
 */
final class ConsentPage {

    private ConsentPage() {
    }

    static String render(String action, String requestId, Application app, List<String> permissions, String login,
                         String error, boolean forOrganization) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sign in to your account</title></head><body>")
                .append("<h1>Permissions requested</h1>")
                .append("<p id=\"app\"><b>").append(esc(app.displayName())).append("</b> (").append(esc(app.appId()))
                .append(") would like to:</p><ul id=\"permissions\">");
        permissions.forEach(p -> html.append("<li>").append(esc(p)).append("</li>"));
        html.append("</ul>");
        if (forOrganization) {
            html.append("<p id=\"organization\">Accepting grants these permissions for your whole organization.</p>");
        }
        if (error != null) {
            html.append("<p id=\"error\" style=\"color:#a00\">").append(esc(error)).append("</p>");
        }
        html.append("<form method=\"post\" action=\"").append(esc(action)).append("\">")
                .append("<input type=\"hidden\" name=\"request_id\" value=\"").append(esc(requestId)).append("\">")
                .append("<label>Email or phone <input type=\"text\" name=\"login\" value=\"")
                .append(esc(login == null ? "" : login)).append("\"></label><br>")
                .append("<label>Password <input type=\"password\" name=\"password\"></label><br>")
                .append("<button type=\"submit\" name=\"consent\" value=\"accept\">Accept</button> ")
                .append("<button type=\"submit\" name=\"consent\" value=\"cancel\">Cancel</button>")
                .append("</form></body></html>");
        return html.toString();
    }

    static String error(String message) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sign in error</title></head><body>"
                + "<h1>Sorry, but we're having trouble signing you in.</h1><p id=\"error\">" + esc(message)
                + "</p></body></html>";
    }

    static String formPost(String redirectUri, Map<String, String> fields) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Working...</title></head>"
                + "<body onload=\"document.forms[0].submit()\"><form method=\"POST\" action=\"")
                .append(esc(redirectUri)).append("\">");
        fields.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"")
                .append(esc(v)).append("\">"));
        return html.append("<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>").toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
