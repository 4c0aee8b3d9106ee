package dev.sluice.guard.stage;

import dev.sluice.guard.Category;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScan;
import dev.sluice.guard.GuardScanner;
import dev.sluice.guard.IncrementalGuard;
import dev.sluice.guard.MalformedBodyException;
import dev.sluice.guard.ScanLimitException;
import dev.sluice.guard.answer.AnswerGuard;
import dev.sluice.guard.incremental.MessageSpans;
import dev.sluice.guard.incremental.PrefixHashes;
import dev.sluice.guard.webhook.RequestSummary;
import dev.sluice.guard.webhook.WebhookVerdict;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.record.RecordStage;
import dev.sluice.route.Router;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guard: scans each Messages (and count_tokens) body, and an embeddings request's whole body, after inspection and before routing, with the policy of the
 * first {@code guard.policies} entry that matches the caller and route, and acts on what it finds:
 * <ol>
 *   <li>{@code block}: 400 {@code policy_blocked} ({@link BlockReply}); nothing is forwarded.</li>
 *   <li>{@code redact}: each finding becomes a stable placeholder through the body's byte-range edits, so the same
 *       secret reads the same every turn and the provider's prompt cache still matches. Redaction changes the
 *       prompt: the model reads the placeholder, not the secret.</li>
 *   <li>{@code flag}: forwarded unchanged.</li>
 * </ol>
 * Then, if configured, the policy webhook sees a summary (never the content) and may still block. Every verdict
 * ({@code pass} for a clean scan) goes to the ledger, the trace and the audit log through
 * {@link RecordStage#GUARD_VERDICT}; forwarded requests with findings say so in {@code x-sluice-guard}. With
 * {@code guard.answers: flag}, answers are scanned as they stream (findings are flagged, never cut: bytes already
 * sent cannot be taken back); answer findings reach the trace and the audit log, the ledger keeps the request's verdict.
 *
 * <p>A conversation is scanned incrementally ({@link IncrementalGuard}): only what earlier turns did not show,
 * keyed by the exact-prefix digest and the tenant-scoped policy. Runs on the event loop; a scan is linear in the
 * new bytes (see docs/bench/guard.md).
 */
public final class GuardStage implements Stage, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuardStage.class);
    private static final Exchange.Key<AnswerGuard> ANSWER = new Exchange.Key<>("guard answer", AnswerGuard.class);
    /**
     * Bound on the per-conversation memory: entries plus findings, each side. An entry costs ~130 bytes of heap (its
     * key, Caffeine's node, the map's node; class histogram), and every new conversation adds a few, so the bound is
     * always reached within the hour an entry lives: 200,000 a side is ~52 MB, a quarter of the launcher's 192 MB heap,
     * which beside the response cache and the other tables ran it out of memory. So: a sixteenth of the heap for both
     * sides together, from 8,192 to 200,000 a side (49,152 at 192 MB; the largest from about 800 MB).
     */
    static final long INCREMENTAL_WEIGHT = incrementalWeight(Runtime.getRuntime().maxMemory());
    static final int MAX_HEADER = 256;

    private final GuardScanner scanner;
    private final IncrementalGuard incremental;
    private final Webhooks webhooks = new Webhooks();
    private final GuardCounters counters = new GuardCounters();

    public GuardStage(GuardScanner scanner) {
        this.scanner = scanner;
        this.incremental = new IncrementalGuard(scanner, INCREMENTAL_WEIGHT, Duration.ofHours(1));
    }

    static long incrementalWeight(long maxHeapBytes) {
        return Math.clamp(maxHeapBytes / 4096, 8_192, 200_000);
    }

    @Override
    public String name() {
        return "guard";
    }

    public GuardCounters counters() {
        return counters;
    }

    public GuardScanner scanner() {
        return scanner;
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        GuardSettings s = ex.snapshot().get(GuardSettings.PART);
        if (!s.enabled() || ex.body() == null || (ex.operation() != Operation.MESSAGES && ex.operation() != Operation.COUNT_TOKENS
                && ex.operation() != Operation.EMBEDDINGS)) {
            return CONTINUE;
        }
        GuardSettings.Entry entry = s.entryFor(ex.identity(), () -> upstream(ex), ex.facts().model());
        GuardPolicy policy = s.policyFor(entry, ex.identity());
        GuardVerdict v = GuardVerdict.of(entry, policy, scan(ex, policy));
        forgetSession(ex, v);
        counters.scanned.increment();
        if (v.truncated() != null) {
            counters.truncated.increment();
        }
        ex.put(GuardVerdict.KEY, v);
        if (v.action() == GuardAction.BLOCK) {
            throw block(ex, v);
        }
        String header = ex.request() == null ? null
                : HeaderGuard.refused(scanner, ex.request().headers(), ex.request().query(), policy, entry);
        if (header != null) {
            counters.blocked.increment();
            throw HeaderGuard.reply(header, ex.requestId());
        }
        if (s.webhook() != null && (s.webhookAlways() || v.action() != null)) {
            return webhooks.client(Vertx.currentContext().owner(), s.webhook()).check(summary(ex, v)).compose(w -> {
                v.webhook(w);
                if (!w.answered()) {
                    counters.webhookFailed.increment();
                }
                if (w.block()) {
                    return Future.failedFuture(block(ex, v));
                }
                forward(ex, s, v);
                return CONTINUE;
            });
        }
        forward(ex, s, v);
        return CONTINUE;
    }

    /**
     * The session a request names is read from {@code metadata.user_id} (Claude Code's, or an OpenAI client's {@code user})
     * and written to the ledger, the audit log and traces as it came, whatever the guard did to the body. When the guard
     * found a secret or personal data there, that value is no session to keep: the exchange keeps none, so a blocked or
     * redacted value does not reach those records after all.
     */
    private static void forgetSession(Exchange ex, GuardVerdict v) {
        RequestFacts facts = ex.facts();
        RequestFacts.Field metadata = facts.field("metadata");
        if (facts.metadataUserId() == null || metadata == null) {
            return;
        }
        for (GuardVerdict.Decision d : v.decisions()) {
            Finding f = d.finding();
            if (f.category() != Category.INJECTION && f.start() < metadata.valueEnd() && f.end() > metadata.valueStart()) {
                ex.facts(new RequestFacts(facts.model(), facts.stream(), facts.maxTokens(), facts.messageCount(), null,
                        facts.bodyBytes(), facts.fields(), facts.messages()));
                return;
            }
        }
    }

    /** The upstream the routes would pick, for policies that match on it. */
    private static String upstream(Exchange ex) {
        Target t = ex.snapshot().get(Router.PART).route(ex.facts().model());
        return t == null ? null : t.upstream();
    }

    private GuardScan scan(Exchange ex, GuardPolicy policy) {
        if (ex.operation() == Operation.EMBEDDINGS) {
            // OpenAI's embeddings body goes upstream whole (its model renamed), so every member is read, not its "input"
            // alone: a token in "user" or in any other member reached the upstream (attack round 39). No conversation to resume.
            return guarded(ex, () -> scanner.scan(ex.body().array(), ex.body().length(), policy));
        }
        return guarded(ex, () -> scanConversation(ex, policy));
    }

    private GuardScan scanConversation(Exchange ex, GuardPolicy policy) {
        RequestFacts facts = ex.facts();
        List<RequestFacts.Span> messages = facts.messages();
        int[] starts = new int[messages.size()];
        int[] ends = new int[messages.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = messages.get(i).start();
            ends[i] = messages.get(i).end();
        }
        RequestFacts.Field system = facts.field("system");
        RequestFacts.Field tools = facts.field("tools");
        byte[] body = ex.body().array();
        MessageSpans spans = MessageSpans.of(starts, ends).withMembers(system == null ? -1 : system.valueStart(),
                system == null ? -1 : system.valueEnd(), tools == null ? -1 : tools.valueStart(), tools == null ? -1 : tools.valueEnd());
        return incremental.scan(body, ex.body().length(), spans, PrefixHashes.compute(body, spans), policy);
    }

    /** Runs a scan; a body that is not JSON is the client's error, any other failure refuses the request. */
    private static GuardScan guarded(Exchange ex, java.util.function.Supplier<GuardScan> scan) {
        try {
            return scan.get();
        } catch (MalformedBodyException e) {
            throw ApiError.invalidRequest("body: not valid JSON at byte " + e.offset());
        } catch (ScanLimitException e) {
            throw ApiError.invalidRequest("body: more than " + e.limit() + " " + e.what() + " for the gateway's content"
                    + " policy to check (expected: at most " + e.limit() + ")");
        } catch (RuntimeException e) {
            // A scanner bug must not become a 500 that clients retry, nor let an unchecked body through: refuse, and say so loudly.
            LOG.error("guard: request {} could not be scanned ({}); refused", ex.requestId(), e.getClass().getSimpleName(), e);
            throw new ApiError(400, BlockReply.TYPE, "The gateway's content policy could not check this request (rule scan-failed);"
                    + " nothing was sent to the model. Audit id " + ex.requestId() + ".", false, null);
        }
    }

    private ApiError block(Exchange ex, GuardVerdict v) {
        counters.blocked.increment();
        ex.put(RecordStage.GUARD_VERDICT, v.summary());
        ex.put(RecordStage.GUARD_WITHHELD, Boolean.TRUE);
        return BlockReply.of(v, ex.requestId());
    }

    private void forward(Exchange ex, GuardSettings s, GuardVerdict v) {
        List<Finding> redact = v.with(GuardAction.REDACT);
        RequestFacts.Field model = ex.facts().field("model");
        if (model != null && redact.stream().anyMatch(f -> f.start() < model.valueEnd() && f.end() > model.valueStart())) {
            // A placeholder in the model name would name no model (and collide with the route's own rename of it):
            // a model name holding personal data or a secret is the caller's mistake, told as such, never forwarded.
            throw ApiError.invalidRequest("model: the name holds what the gateway's content policy redacts ("
                    + redact.stream().filter(f -> f.start() < model.valueEnd() && f.end() > model.valueStart())
                            .map(Finding::rule).findFirst().orElseThrow() + "); send a model name");
        }
        if (!redact.isEmpty()) {
            v.redacted(s.redactor().redact(ex.body(), redact));
            counters.redacted.increment();
            ex.put(RecordStage.GUARD_WITHHELD, Boolean.TRUE);
        } else if (v.action() == GuardAction.FLAG) {
            counters.flagged.increment();
        }
        ex.put(RecordStage.GUARD_VERDICT, v.summary());
        String header = header(v);
        if (header != null) {
            ex.responseHeaders().set("x-sluice-guard", header);
        }
    }

    /** {@code redact=github-token,email; flag=prompt-injection-override}: rule names only, bounded. */
    static String header(GuardVerdict v) {
        Map<GuardAction, Set<String>> by = new LinkedHashMap<>();
        for (GuardVerdict.Decision d : v.decisions()) {
            by.computeIfAbsent(d.action(), a -> new LinkedHashSet<>()).add(d.finding().rule());
        }
        if (v.truncated() != null) {
            by.computeIfAbsent(v.truncated(), a -> new LinkedHashSet<>()).add("scan-truncated");
        }
        if (by.isEmpty()) {
            return null;
        }
        StringBuilder h = new StringBuilder();
        by.forEach((a, rules) -> h.append(h.isEmpty() ? "" : "; ").append(a.label()).append('=').append(String.join(",", rules)));
        return h.length() <= MAX_HEADER ? h.toString() : h.substring(0, MAX_HEADER - 3) + "...";
    }

    private static RequestSummary summary(Exchange ex, GuardVerdict v) {
        Identity who = ex.identity();
        List<Finding> all = v.decisions().stream().map(GuardVerdict.Decision::finding).toList();
        return new RequestSummary(ex.requestId(), who == null ? null : who.orgId(), who == null ? null : who.teamId(),
                who == null ? null : who.userId(), who == null ? null : who.keyId(), ex.facts().model(),
                Math.max(0, ex.facts().messageCount()), ex.body().length(), all);
    }

    /** With {@code guard.answers: flag}: each streamed event goes through the answer guard; findings are recorded, events pass. */
    @Override
    public SseEvent onEvent(Exchange ex, SseEvent event) {
        GuardVerdict v = ex.get(GuardVerdict.KEY);
        if (v == null || !ex.snapshot().get(GuardSettings.PART).scanAnswers()) {
            return event;
        }
        AnswerGuard g = ex.get(ANSWER);
        if (g == null) {
            g = scanner.answerGuard(v.scanPolicy());
            ex.put(ANSWER, g);
        }
        List<Finding> found = g.onEvent(event);
        if (event.type().equals("message_stop")) {
            found = found.isEmpty() ? g.finish() : concat(found, g.finish());
        }
        answerFindings(ex, v, found);
        return event;
    }

    /** A whole (non-streamed) answer, before its head goes out; its ledger record is written by then, so audit and trace carry it. */
    @Override
    public void onResponse(Exchange ex) {
        GuardVerdict v = ex.get(GuardVerdict.KEY);
        Buffer answer = ex.responseBody();
        if (v == null || ex.streaming() || answer == null || ex.status() / 100 != 2
                || !ex.snapshot().get(GuardSettings.PART).scanAnswers() || answer.length() > AnswerGuard.MAX_ANSWER) {
            return;
        }
        byte[] bytes = answer.getBytes();
        try {
            answerFindings(ex, v, scanner.scanAnswer(bytes, bytes.length, v.scanPolicy()).findings());
        } catch (MalformedBodyException e) {
            LOG.debug("guard: answer of request {} is not JSON; not scanned", ex.requestId());
        }
    }

    private void answerFindings(Exchange ex, GuardVerdict v, List<Finding> found) {
        if (!found.isEmpty()) {
            v.addAnswer(found);
            counters.answerFindings.add(found.size());
        }
    }

    /**
     * Answer findings join the verdict here, for the trace and the audit log (which complete after this stage). Not
     * for the ledger: an attempt's record is written when the upstream's answer is complete, which can be before its
     * last events pass this stage, so the ledger keeps the request's verdict alone, the same for every answer.
     */
    @Override
    public void onComplete(Exchange ex) {
        GuardVerdict v = ex.get(GuardVerdict.KEY);
        if (v != null && !v.answer().isEmpty()) {
            ex.put(RecordStage.GUARD_VERDICT, v.summary());
        }
    }

    private static List<Finding> concat(List<Finding> a, List<Finding> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<Finding> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
