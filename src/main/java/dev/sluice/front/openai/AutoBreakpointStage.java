package dev.sluice.front.openai;

import dev.sluice.front.openai.responses.ResponsesProtocol;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import io.vertx.core.Future;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic prompt-cache breakpoints for OpenAI clients on Claude upstreams. A chat completion never says
 * {@code cache_control} unless its client follows LiteLLM's convention, so an OpenAI-SDK agent on Claude paid full
 * input price every turn where the same traffic through the Anthropic door was cached. For a request from the OpenAI
 * door whose route sends it to a Claude upstream (Anthropic, Foundry, Bedrock, Vertex), when the route's policy
 * ({@link AutoBreakpoints}) allows and the client marked nothing, this adds {@code cache_control} members where
 * {@link BreakpointPlacement} says, as body edits, and says how many in {@code x-sluice-prompt-cache-auto}.
 *
 * <p>Runs after routing and budgets (the served model, a degrade's included, sets the minimum cacheable length) and
 * before the response cache, whose key reads the body without edits, so it is the same with or without markers. An
 * OpenAI target later in the same plan gets the markers dropped by its translation, which has no place for them.
 */
public final class AutoBreakpointStage implements Stage {
    /** The providers that speak Anthropic's Messages wire and honour its breakpoints. */
    private static final Set<String> CLAUDE = Set.of("anthropic", "foundry", "bedrock", "vertex");
    private static final String REASON = "openai: automatic prompt-cache breakpoint";
    /** How many markers this request's body carries, for the answer's header. */
    private static final Exchange.Key<Integer> PLACED = new Exchange.Key<>("prompt-cache-breakpoints", Integer.class);
    private static final Logger LOG = LoggerFactory.getLogger(AutoBreakpointStage.class);

    @Override
    public String name() {
        return "prompt-cache-breakpoints";
    }

    /** Chat completions and the Responses API: both translated, neither able to mark the canonical blocks itself. */
    private static boolean openAiDoor(Exchange ex) {
        return ex.protocol() == OpenAiProtocol.INSTANCE || ex.protocol() == ResponsesProtocol.INSTANCE;
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        if (ex.operation() != Operation.MESSAGES || !openAiDoor(ex) || ex.plan() == null
                || ex.body() == null || ex.facts() == null) {
            return CONTINUE;
        }
        AutoBreakpoints policy = ex.snapshot().get(AutoBreakpoints.PART);
        Target claude = firstClaude(ex);
        if (claude == null || !policy.enabledFor(ex.plan().routeName())) {
            return CONTINUE;
        }
        String model = claude.servedModel() != null ? claude.servedModel() : ex.facts().model();
        RequestBody body = ex.body();
        int[] places;
        try {
            places = BreakpointPlacement.places(body.array(), ex.facts(), MinCacheable.tokens(model), policy.userTurns());
        } catch (RuntimeException e) {
            // Help, never a condition: a body this cannot read goes as it is (the translation wrote it, so this is a bug).
            LOG.warn("request {}: prompt-cache breakpoints not placed: {}", ex.requestId(), e.toString());
            return CONTINUE;
        }
        int added = 0;
        for (int at : places) {
            try {
                body.insert(at, policy.marker(), REASON);
                added++;
            } catch (IllegalStateException e) {
                // another stage edited those bytes (a redaction cannot reach a closing brace, but be safe): its edit stands
            }
        }
        if (added > 0) {
            ex.put(PLACED, added);
        }
        return CONTINUE;
    }

    /**
     * Says how many breakpoints were placed only when the answer came from a Claude upstream, which read them: a
     * response-cache hit went nowhere, and an OpenAI fallback got the markers dropped, so neither wrote a prompt cache.
     */
    @Override
    public void onResponse(Exchange ex) {
        Integer placed = ex.get(PLACED);
        Attempt answered = ex.lastAttempt();
        if (placed != null && answered != null && CLAUDE.contains(answered.target().provider())) {
            ex.responseHeaders().set("x-sluice-prompt-cache-auto", Integer.toString(placed));
        }
    }

    private static Target firstClaude(Exchange ex) {
        for (Target t : ex.plan().targets()) {
            if (CLAUDE.contains(t.provider())) {
                return t;
            }
        }
        return null;
    }
}
