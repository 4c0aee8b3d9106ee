package dev.sluice.trace;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.front.ExtraRoute;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Cost;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Forwarder;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestIds;
import dev.sluice.pipeline.Response;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.respond.ClientResponder;
import dev.sluice.respond.StreamSettings;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real Vert.x HTTP front running a real {@link Pipeline}: a completion latch, the telemetry stage, two
 * stand-in stages (authenticate, route) and a stand-in upstream that answers after a couple of
 * milliseconds with fixed usage and cost. What the tests observe is what a client's request produced.
 */
final class TestFront implements AutoCloseable {
    static final Vertx VERTX = Vertx.vertx();
    /** A data directory for telemetry that writes nothing there (audit off or elsewhere). */
    static final java.nio.file.Path TMP = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    static final String API_KEY = "sk-ant-secret-gateway-key-123";
    static final String BAD_KEY = "sk-ant-wrong";
    static final String MODEL = "claude-sonnet-4-5";
    static final String SERVED = "claude-sonnet-4-5-20250929";
    static final String PROMPT = "please summarise the quarterly secret plan";
    static final String COMPLETION = "Here is the summary of the plan";
    /** Anthropic usage: 100 input, 50 output, 20 cache writes, 300 cache reads. */
    static final Usage USAGE = new Usage(100, 50, 20, 300, 20, 0, 0, 0);
    static final Cost COST = new Cost(1_234_000, 810_000, false);
    static final String BODY = "{\"model\":\"" + MODEL + "\",\"max_tokens\":1024,\"stream\":false,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
    static final String RESPONSE = "{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"" + COMPLETION + "\"}]}";

    private static final Snapshot SNAPSHOT = Snapshot.of(SluiceConfig.defaults(), List.of(StreamSettings.PART));
    private final HttpServer server;
    private final Semaphore completed = new Semaphore(0);
    private volatile Exchange last;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestFront(Telemetry telemetry) {
        Stage latch = new Stage() {
            @Override
            public String name() {
                return "latch";
            }

            @Override
            public void onComplete(Exchange ex) {
                last = ex;
                completed.release();
            }
        };
        Pipeline pipeline = new Pipeline(List.of(latch, telemetry.stage(), new Authenticate(), new Inspect(), new Route()),
                new Upstream(), new ClientResponder(VERTX));
        List<ExtraRoute> routes = telemetry.routes();
        server = VERTX.createHttpServer().requestHandler(req -> handle(req, pipeline, routes));
        await(server.listen(0, "127.0.0.1"));
    }

    static TestFront start(Telemetry telemetry) {
        return new TestFront(telemetry);
    }

    private static void handle(HttpServerRequest req, Pipeline pipeline, List<ExtraRoute> routes) {
        long arrived = System.nanoTime();
        for (ExtraRoute r : routes) {
            if (r.matches(req.path())) {
                r.handler().handle(req);
                return;
            }
        }
        req.pause();
        pipeline.run(new Exchange(RequestIds.next(), arrived, req, Operation.MESSAGES, "POST /v1/messages",
                AnthropicProtocol.INSTANCE, SNAPSHOT));
    }

    /** POSTs a Messages request with the given headers (name, value pairs) and waits for its completion hooks. */
    HttpResponse<String> messages(String apiKey, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/messages")).timeout(Duration.ofSeconds(10))
                .header("x-api-key", apiKey).header("content-type", "application/json")
                .header("user-agent", "claude-cli/2.1.330 (external, cli)")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> resp = send(b.build());
        try {
            if (!completed.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("completion hooks did not run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return resp;
    }

    /** The exchange of the last completed request (for benchmarks that replay its completion). */
    Exchange lastExchange() {
        return last;
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("future did not complete: " + e, e);
        }
    }

    @Override
    public void close() {
        await(server.close());
    }

    /** Stand-in for the real authenticate stage: one good key with an owner and a tag. */
    private static final class Authenticate implements Stage {
        @Override
        public String name() {
            return "authenticate";
        }

        @Override
        public Future<Void> onRequest(Exchange ex) {
            if (!API_KEY.equals(ex.request().getHeader("x-api-key"))) {
                throw ApiError.authentication("invalid x-api-key");
            }
            ex.identity(new Identity("key_1", "alice-laptop", "alice", "platform", "acme", Map.of("project", "apollo")));
            return CONTINUE;
        }
    }

    /** Stand-in for the inspect stage: reads the body and inspects it as the Anthropic front door does. */
    private static final class Inspect implements Stage {
        @Override
        public String name() {
            return "inspect";
        }

        @Override
        public Future<Void> onRequest(Exchange ex) {
            return ex.request().resume().body().map(b -> {
                RequestBody body = RequestBody.of(b.getBytes());
                ex.body(body, body);
                ex.facts(AnthropicProtocol.INSTANCE.inspect(Operation.MESSAGES, body).facts());
                return null;
            });
        }
    }

    /** Stand-in for the route stage: every model goes to one Anthropic upstream under its dated name, no retries. */
    private static final class Route implements Stage {
        @Override
        public String name() {
            return "route";
        }

        @Override
        public Future<Void> onRequest(Exchange ex) {
            Target t = new Target("primary", "anthropic", SERVED);
            ex.plan(AttemptPlan.only(t));
            return CONTINUE;
        }
    }

    /** A finished answer's report: fixed usage. */
    private record Report(Usage usage) implements UsageReport {
        @Override
        public boolean estimated() {
            return false;
        }

        @Override
        public String servedModel() {
            return SERVED;
        }

        @Override
        public String errorType() {
            return null;
        }

        @Override
        public boolean complete() {
            return true;
        }
    }

    /**
     * Stand-in for the attempt loop and settle: answers after 2 ms with {@link #RESPONSE}, {@link #USAGE} and
     * {@link #COST}, making the attempt as the real loop does; {@code x-test-upstream: down} makes it a 502.
     */
    private static final class Upstream implements Forwarder {
        @Override
        public Future<Void> forward(Exchange ex, Pipeline pipeline) {
            Attempt a = ex.newAttempt(ex.plan().first());
            a.upstreamKeyAlias("prod-1");
            pipeline.attemptStarted(ex, a);
            boolean down = "down".equals(ex.request().getHeader("x-test-upstream"));
            Promise<Void> done = Promise.promise();
            a.markSent();
            VERTX.setTimer(2, id -> {
                if (down) {
                    a.fail(Attempt.Failure.CONNECT, 0, "api_error");
                    pipeline.attemptEnded(ex, a);
                    done.fail(ApiError.badGateway("Could not reach upstream 'primary'"));
                    return;
                }
                a.markAnswered();
                a.status(200);
                a.report(new Report(USAGE));
                a.cost(COST);
                a.commit();
                pipeline.attemptEnded(ex, a);
                ex.gatewaySavingsNanoUsd(500_000);
                pipeline.responder().respond(ex, pipeline, new Response.Whole(200, MultiMap.caseInsensitiveMultiMap(),
                        Buffer.buffer(RESPONSE))).onComplete(done);
            });
            return done.future();
        }
    }
}
