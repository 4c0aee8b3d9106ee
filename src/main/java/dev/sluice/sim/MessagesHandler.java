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
        String betas = exchange.request().getHeader("anthropic-beta");
        SimThreads threads = exchange.sim().providers().threads();
        SimThreads.Turn turn = threads.open(exchange.upstreamKey(), exchange.body(), betas);
        MessagesRequest request = MessagesRequest.parse(turn.body(), true, betas);
        ThinkingRules.signatures(request.messages());
        if (request.thinking() && "strict".equals(exchange.sim().providers().withStanding(exchange.request().headers())
                .get(SimHeaders.THINKING_LOOP))) {
            ThinkingRules.loop(request.messages());
        }
        serve(exchange, directives, request, SimWire.ANTHROPIC, cache -> cache,
                turn.threaded() ? (id, plan) -> threads.answered(exchange.upstreamKey(), turn, id, plan) : null);
    }

    /** As below, for a wire that holds no threads. */
    static void serve(SimExchange exchange, SimDirectives directives, MessagesRequest request, SimWire wire,
                      java.util.function.UnaryOperator<CacheUsage> billed) {
        serve(exchange, directives, request, wire, billed, null);
    }

    /**
     * Faults, prompt cache, plan and answer for a parsed request, in {@code wire}'s format. {@code billed} maps the
     * cache accounting to what this provider reports and bills (OpenAI, say, has no cache writes). {@code answered}, when
     * not null, is told the answer's id and plan before it is sent (a thread holds them).
     */
    static void serve(SimExchange exchange, SimDirectives directives, MessagesRequest request, SimWire wire,
                      java.util.function.UnaryOperator<CacheUsage> billed,
                      java.util.function.BiConsumer<String, ReplyPlan> answered) {
        PromptLayout layout = PromptLayout.of(request);
        FaultPlan fault = directives.fault();
        if (fault.reset()) {
            exchange.reset(request.model());
            return;
        }
        if (fault.status() != 0) {
            exchange.reject(wire.fault(ApiException.forFaultStatus(fault.status())), request.model());
            return;
        }
        CacheUsage cache = billed.apply(exchange.sim().promptCache().account(exchange.upstreamKey(), layout));
        ReplyPlan plan;
        String messageId;
        if (exchange.sim().options().agentScript()) {
            AgentReplies.Reply reply = AgentReplies.plan(exchange.body());
            plan = reply.plan();
            messageId = reply.messageId();
        } else {
            plan = ReplyPlanner.plan(request, directives.outputTokens(), directives.tool());
            messageId = Ids.messageId();
        }
        if (answered != null) {
            answered.accept(messageId, plan);
        }
        if (request.stream()) {
            new StreamSession(exchange, messageId, request.model(), plan, cache, directives, wire).start();
        } else {
            new NonStreamReply(exchange, messageId, request.model(), plan, cache, directives, wire).send();
        }
    }
}
