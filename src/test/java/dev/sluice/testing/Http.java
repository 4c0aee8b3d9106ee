package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP/1.1 client for the gateway, with the Anthropic headers and small JSON and SSE helpers. */
public final class Http {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    /** A request to {@code base + path} with the gateway key, {@code anthropic-version} and a JSON content type. */
    public static HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json");
    }

    /** POST with extra headers given as name, value pairs. */
    public static HttpResponse<String> post(String base, String path, String body, String... headers) {
        HttpRequest.Builder b = request(base, path).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpClient client() {
        return CLIENT;
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id the gateway gave the request (its {@code request-id} header). */
    public static String requestId(HttpResponse<?> response) {
        return response.headers().firstValue("request-id").orElseThrow();
    }

    /**
     * The gateway's record of a request ({@code GET /sluice/v1/requests/<id>}), with its {@code attempts}, one per
     * upstream call. The ledger writes it after the client has its answer, so this asks until it is there (10 s).
     */
    public static JsonNode record(String gatewayUrl, String requestId) {
        return Await.until(Duration.ofSeconds(10), () -> {
            HttpResponse<String> r = send(request(gatewayUrl, "/sluice/v1/requests/" + requestId).GET().build());
            return r.statusCode() == 200 ? json(r.body()) : null; // a 404 until the first attempt is written
        }, () -> "the ledger records of " + requestId);
    }

    /** The attempts of the request that {@code response} answered, as a list. */
    public static List<JsonNode> attempts(String gatewayUrl, HttpResponse<?> response) {
        List<JsonNode> out = new ArrayList<>();
        record(gatewayUrl, requestId(response)).path("attempts").forEach(out::add);
        return out;
    }

    /** The simplest valid Messages body with one user text. */
    public static String userMessage(String text, boolean stream) {
        return "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + quote(text) + "}]}";
    }

    /** One server-sent event. */
    public record Event(String name, String data) {
        public JsonNode json() {
            return Http.json(data);
        }
    }

    /** Parses a whole SSE body into events ({@code event:} and one {@code data:} line per frame). */
    public static List<Event> events(String body) {
        List<Event> out = new ArrayList<>();
        for (String frame : body.replace("\r\n", "\n").split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String name = "message";
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:") && data == null) {
                    data = line.substring(5).strip();
                }
            }
            out.add(new Event(name, data));
        }
        return out;
    }

    public static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }
}
