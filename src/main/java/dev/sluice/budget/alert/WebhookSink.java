package dev.sluice.budget.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** POSTs the alert as JSON (generic webhook) or as a Slack-compatible {@code {"text": ...}} message. */
public final class WebhookSink implements AlertSink {
    private final String name;
    private final URI url;
    private final Map<String, String> headers;
    private final boolean slack;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookSink(String name, URI url, Map<String, String> headers, boolean slack, Duration timeout) {
        this.name = name;
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.slack = slack;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertPayload alert) throws IOException, InterruptedException {
        String body = slack ? slackBody(alert) : alert.toJson();
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("alert sink '" + name + "': " + url.getHost() + " answered " + r.statusCode());
        }
    }

    /** Slack's incoming-webhook shape: plain {@code text} (also what Mattermost and Teams' Slack mode read) plus one block. */
    static String slackBody(AlertPayload a) {
        var n = dev.sluice.wire.Json.MAPPER.createObjectNode();
        n.put("text", a.headline());
        var block = n.putArray("blocks").addObject();
        block.put("type", "section");
        block.putObject("text").put("type", "mrkdwn").put("text", a.text());
        return n.toString();
    }
}
