package dev.sluice.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Entry point of every HTTP request. The order a request meets:
 * <ol>
 *   <li>reachability probes ({@code HEAD /}, {@code HEAD /api/hello}) answer 200 at once;
 *   <li>the body is read (413 above 32 MB);
 *   <li>{@code /_sim/*} control calls go to {@link ControlHandler};
 *   <li>the request is recorded, routed (404), authenticated (401/400) and its sim headers parsed (400);
 *   <li>a {@code slow:MS} fault delays the rest;
 *   <li>the route's handler runs; any {@link ApiException} becomes the error envelope.
 * </ol>
 */
final class SimRequestHandler implements Handler<HttpServerRequest> {

    private final Vertx vertx;
    private final SimContext sim;

    SimRequestHandler(Vertx vertx, SimContext sim) {
        this.vertx = vertx;
        this.sim = sim;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (request.method() == HttpMethod.HEAD && (path.equals("/") || path.equals("/api/hello"))) {
            request.response().setStatusCode(200).end();
            return;
        }
        BodyReader.read(request).onComplete(read -> {
            if (read.succeeded()) {
                dispatch(request, read.result());
            } else if (read.cause() instanceof BodyReader.TooLarge tooLarge) {
                new SimExchange(vertx, request, sim, new byte[0], false)
                        .reject(new ApiException(413, "request_too_large", tooLarge.getMessage()), null);
                request.connection().close(); // the rest of the body is still coming; do not read it
            }
        });
    }

    private void dispatch(HttpServerRequest request, Buffer body) {
        if (request.path().startsWith(ControlHandler.PREFIX)) {
            ControlHandler.handle(request, sim);
            return;
        }
        Route route = Route.of(request.method(), request.path());
        SimExchange exchange = new SimExchange(vertx, request, sim, body.getBytes(), route.billable());
        sim.recorder().recordReceived(exchange.received());
        try {
            if (route == Route.NOT_FOUND) {
                throw ApiException.notFound("Not found: " + request.method() + " " + request.path());
            }
            if (route.provider()) {
                ProviderRoutes.authenticate(exchange, route); // SigV4, OAuth bearer or OpenAI keys, in their error shapes
            } else {
                exchange.authenticate();
            }
            io.vertx.core.MultiMap steering = sim.providers().withStanding(request.headers());
            SimDirectives directives = SimDirectives.from(steering, sim.options())
                    .forKey(steering.get(SimHeaders.FAULT_KEY), exchange.upstreamKey());
            long slow = directives.fault().slowMillis();
            if (slow > 0) {
                vertx.setTimer(slow, id -> serve(exchange, route, directives));
            } else {
                serve(exchange, route, directives);
            }
        } catch (ApiException e) {
            exchange.reject(e, null);
        } catch (RuntimeException e) {
            exchange.reject(simulatorBug(e), null);
        }
    }

    private void serve(SimExchange exchange, Route route, SimDirectives directives) {
        try {
            if (route == Route.MESSAGES) {
                MessagesHandler.handle(exchange, directives);
                return;
            }
            if (route.provider()) {
                ProviderRoutes.serve(exchange, route, directives);
                return;
            }
            FaultPlan fault = directives.fault();
            if (fault.reset()) {
                exchange.reset(null);
                return;
            }
            if (fault.status() != 0) {
                throw ApiException.forFaultStatus(fault.status());
            }
            switch (route) {
                case COUNT_TOKENS -> ApiHandlers.countTokens(exchange);
                case LIST_MODELS -> ApiHandlers.listModels(exchange);
                case GET_MODEL -> ApiHandlers.getModel(exchange,
                        exchange.request().path().substring(Route.MODELS_PREFIX.length()));
                case BATCHES -> sim.providers().batches().handle(exchange, directives);
                default -> throw new IllegalStateException("unrouted: " + route);
            }
        } catch (ApiException e) {
            exchange.reject(e, null);
        } catch (RuntimeException e) {
            exchange.reject(simulatorBug(e), null);
        }
    }

    /** A bug here must fail the caller's test at once with a clear 500, not leave the request hanging. */
    private static ApiException simulatorBug(RuntimeException e) {
        return new ApiException(500, "api_error", "simulator bug: " + e);
    }
}
