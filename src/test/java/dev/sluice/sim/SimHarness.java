package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A started {@link SimServer} plus an HTTP client with the headers the real API requires. */
final class SimHarness implements AutoCloseable {

    /** One Vert.x for the whole test run: creating one per class costs more than every test here. */
    static final Vertx VERTX = Vertx.vertx();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "sk-ant-test-key";
    static final String MODEL = "claude-sonnet-4-5-20250929";

    final SimServer server;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private SimHarness(SimServer server) {
        this.server = server;
    }

    static SimHarness start(SimOptions options) {
        return new SimHarness(await(SimServer.start(VERTX, options)));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("future did not complete: " + e, e);
        }
    }

    @Override
    public void close() {
        await(server.close());
    }

    SimRecorder recorder() {
        return server.recorder();
    }

    /** A request builder with {@code x-api-key}, {@code anthropic-version} and JSON content type. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("x-api-key", API_KEY)
                .header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json");
    }

    /** POST with extra headers given as name, value pairs. */
    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Billed records are written when the server notices the end, which may trail the client: poll. */
    BilledUsage awaitBilled(Predicate<BilledUsage> matching) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (BilledUsage usage : recorder().billed()) {
                if (matching.test(usage)) {
                    return usage;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no billed record matched within 5 s; billed: " + recorder().billed());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** A parsed SSE event. */
    record Event(String name, JsonNode data) {
    }

    /** Parses a complete SSE body ({@code event: X\ndata: {...}\n\n} frames). */
    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String[] lines = frame.split("\n");
            if (!lines[0].startsWith("event: ") || !lines[1].startsWith("data: ")) {
                throw new AssertionError("malformed SSE frame: " + frame);
            }
            events.add(new Event(lines[0].substring(7), json(lines[1].substring(6))));
        }
        return events;
    }

    static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    /** The simplest valid Messages body with one user text. */
    static String userMessage(String text, boolean stream) {
        return """
                {"model":"%s","max_tokens":1024,"stream":%s,"messages":[{"role":"user","content":%s}]}"""
                .formatted(MODEL, stream, quote(text));
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
