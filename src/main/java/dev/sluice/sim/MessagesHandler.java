package dev.sluice.sim;

/**
 * {@code POST /v1/messages}: validate, apply faults, account the prompt cache, plan the reply, send it.
 * Faults that reject (status, reset) come after validation so a billed rejection still names its model,
 * and before cache accounting so a rejected request neither reads nor writes the cache.
 */
final class MessagesHandler {

    private MessagesHandler() {
    }

    static void handle(SimExchange exchange, SimDirectives directives) {
        if (exchange.sim().options().canned()) {
            CannedReply.send(exchange, directives);
            return;
        }
        MessagesRequest request = MessagesRequest.parse(exchange.body(), true, exchange.request().getHeader("anthropic-beta"));
        PromptLayout layout = PromptLayout.of(request);
        FaultPlan fault = directives.fault();
        if (fault.reset()) {
            exchange.reset(request.model());
            return;
        }
        if (fault.status() != 0) {
            exchange.reject(ApiException.forFaultStatus(fault.status()), request.model());
            return;
        }
        CacheUsage cache = exchange.sim().promptCache().account(exchange.upstreamKey(), layout);
        ReplyPlan plan = ReplyPlanner.plan(request, directives.outputTokens(), directives.tool());
        String messageId = Ids.messageId();
        if (request.stream()) {
            new StreamSession(exchange, messageId, request.model(), plan, cache, directives).start();
        } else {
            new NonStreamReply(exchange, messageId, request.model(), plan, cache, directives).send();
        }
    }
}
