package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.config.AdminConfig;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.KeyRegistry;
import dev.sluice.record.SpendReports;
import dev.sluice.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** The admin route alone on a real HTTP server on a random port, and a client that speaks to it. */
final class AdminHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final KeyRegistry registry;
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    AdminHarness(Database db, AdminConfig config) {
        IdentityStore store = new IdentityStore(db);
        registry = new KeyRegistry(store, Clock.systemUTC(), Duration.ofMinutes(10));
        LiveConfig live = LiveConfig.fixed(SluiceConfig.defaults(), java.util.List.of());
        ExtraRoute route = AdminApi.route(vertx, AdminParts.basic(store, registry, new SpendReports(db), config, live));
        server = vertx.createHttpServer().requestHandler(req -> {
            if (route.matches(req.path())) {
                route.handler().handle(req);
            } else {
                req.response().setStatusCode(404).end("not mounted");
            }
        }).listen(0, "127.0.0.1").await();
    }

    /** A response: status, headers and the body, parsed when it is JSON. */
    record Answer(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String errorType() {
            return json().path("error").path("type").asText();
        }

        String message() {
            return json().path("error").path("message").asText();
        }
    }

    Answer call(String method, String path, String credential, String body) {
        return call(client, method, path, credential, body);
    }

    /** As {@link #call}, from another loopback address (Linux answers all of 127.0.0.0/8): another client's guesses. */
    Answer callFrom(String localAddress, String method, String path, String credential) {
        try (HttpClient other = HttpClient.newBuilder().localAddress(java.net.InetAddress.getByName(localAddress)).build()) {
            return call(other, method, path, credential, null);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private Answer call(HttpClient client, String method, String path, String credential, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            b.header("authorization", "Bearer " + credential);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpClient client() {
        return client;
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        registry.close();
        vertx.close().await();
        client.close();
    }
}
