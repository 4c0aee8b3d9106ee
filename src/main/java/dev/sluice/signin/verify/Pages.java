package dev.sluice.signin.verify;

import io.vertx.core.http.HttpServerResponse;

/**
 * The verification page's HTML: plain, server-rendered, no scripts. Every value shown is escaped;
 * the headers forbid framing, scripts and referrers (the user code stays out of other sites' logs).
 */
final class Pages {
    private Pages() {
    }

    /**
     * The code form. The code may be pre-filled from the link, but the person must press the button (RFC 8628 §5.4);
     * {@code csrf} is this browser's token for the form ({@link BrowserBinding}).
     */
    static String codeForm(String prefilled, String error, String csrf) {
        String err = error == null ? "" : "<p class=\"err\">" + esc(error) + "</p>";
        return page("Sign in to Claude Code",
                "<h1>Sign in to Claude Code</h1>"
                        + "<p>Check that this is the code shown in <b>your</b> terminal. If you did not just run "
                        + "<code>/login</code>, close this page.</p>" + err
                        + "<form method=\"post\" action=\"/device\">"
                        + hidden("csrf", csrf)
                        + "<label for=\"user_code\">Code</label> "
                        + "<input id=\"user_code\" name=\"user_code\" autocomplete=\"off\" spellcheck=\"false\" "
                        + "maxlength=\"16\" value=\"" + esc(prefilled == null ? "" : prefilled) + "\">"
                        + " <button type=\"submit\">Continue to sign-in</button></form>");
    }

    /**
     * After the IdP: who is about to be signed in, for which code, and what asked for the code, with approve and
     * deny. Only this page's POST (same browser, its token and confirmation secret) approves the code.
     */
    static String confirm(String email, String userCode, Details client, String confirmId, String csrf) {
        return page("Approve sign-in?", "<h1>Approve sign-in?</h1>"
                + "<p>Approve sign-in of <b>Claude Code</b> for code <b>" + esc(userCode) + "</b> as <b>" + esc(email) + "</b>?</p>"
                + "<p>The code was requested " + esc(client.describe()) + ".</p>"
                + "<p class=\"err\">Approve only if you ran <code>/login</code> yourself just now and your terminal shows "
                + "this code. If a web page or a message sent you here, press Deny: someone may be trying to use your account.</p>"
                + "<form method=\"post\" action=\"/device/confirm\">" + hidden("csrf", csrf) + hidden("confirm", confirmId)
                + hidden("user_code", userCode)
                + "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button> "
                + "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>");
    }

    /** What asked for a device code, as far as the gateway recorded it. */
    record Details(java.time.Instant created, String address, String agent, String surface) {
        String describe() {
            String when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                    .withZone(java.time.ZoneOffset.UTC).format(created);
            return "at " + when + (address == null ? "" : " from " + address) + (agent == null ? "" : " by client \u201c" + product(agent) + "\u201d")
                    + (surface == null ? "" : " (" + surface + ")");
        }
    }

    /**
     * The client's product token only ({@code claude-cli/2.0.14}), at most 40 characters: the rest of a User-Agent is
     * the requester's free text, which a phisher could word as a reassurance ("your laptop, verified").
     */
    static String product(String agent) {
        String first = agent.strip().split("[\\s(]", 2)[0];
        return first.length() > 40 ? first.substring(0, 40) + "\u2026" : first;
    }

    static String declined(String userCode) {
        return page("Sign-in declined", "<h1>Sign-in declined</h1><p>Code " + esc(userCode)
                + " was declined; nothing was signed in. You can close this page.</p>");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\">";
    }

    static String approved(String email, String userCode) {
        return page("Signed in", "<h1>You're signed in</h1><p>Claude Code is now signed in as <b>" + esc(email)
                + "</b> (code " + esc(userCode) + "). You can close this page and return to your terminal.</p>");
    }

    static String refused(String why) {
        return page("Sign-in refused", "<h1>Sign-in refused</h1><p class=\"err\">" + esc(why)
                + "</p><p>Your terminal will show that the sign-in was declined.</p>");
    }

    static String failed(String why) {
        return page("Sign-in failed", "<h1>Sign-in failed</h1><p class=\"err\">" + esc(why)
                + "</p><p><a href=\"/device\">Start again</a></p>");
    }

    static void send(HttpServerResponse resp, int status, String html, String formTarget) {
        if (resp.ended() || resp.closed()) {
            return;
        }
        resp.setStatusCode(status)
                .putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .putHeader("x-frame-options", "DENY")
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "no-referrer")
                .putHeader("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' "
                        + formTarget + "; frame-ancestors 'none'; base-uri 'none'")
                .end(html);
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<style>body{font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}"
                + "input{font:1.3em monospace;letter-spacing:.1em;width:10em}.err{color:#b00020}</style>"
                + "</head><body>" + body + "</body></html>";
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
