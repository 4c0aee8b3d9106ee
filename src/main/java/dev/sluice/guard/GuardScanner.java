package dev.sluice.guard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.guard.custom.RegexRule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.engine.BodyWalker;
import dev.sluice.guard.engine.GuardEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry point: scans a Messages request body for secrets, personal data and prompt injection, in
 * time linear in its size, and reports each finding with its byte range in the original body and a
 * location a developer can act on. Thread-safe; make one per gateway and share it.
 *
 * <pre>{@code
 * GuardScanner scanner = new GuardScanner();
 * GuardScan scan = scanner.scan(body.array(), body.length(), GuardPolicy.defaults());
 * for (Finding f : scan.findings()) { ... f.rule(), f.location().describe(), f.start(), f.end() ... }
 * }</pre>
 *
 * <p>Operator rules ({@link GuardPolicy#customRules()}) are compiled into an engine of their own, built once
 * per distinct rule list and kept (at most {@value #MAX_ENGINES}).
 */
public final class GuardScanner {
    static final int MAX_ENGINES = 64;

    private final GuardEngine builtIn = GuardEngine.of(GuardRules.detectors());
    private final Cache<List<CustomRule>, GuardEngine> custom = Caffeine.newBuilder().maximumSize(MAX_ENGINES).build();

    /** Scans a whole body {@code body[0, length)}. */
    public GuardScan scan(byte[] body, int length, GuardPolicy policy) {
        return scan(body, length, ScanStart.whole(), policy);
    }

    /**
     * Scans from {@code start}: the whole body, or only what follows a message already scanned (the later
     * messages and the top-level members after the messages array).
     *
     * @throws MalformedBodyException when the body is not JSON (the gateway validates it earlier, so this is a bug or an attack)
     */
    public GuardScan scan(byte[] body, int length, ScanStart start, GuardPolicy policy) {
        return scan(body, length, start, policy, null);
    }

    /** As {@link #scan(byte[], int, ScanStart, GuardPolicy)}, letting {@code hook} skip top-level members whose findings are known. */
    GuardScan scan(byte[] body, int length, ScanStart start, GuardPolicy policy, BodyWalker.MemberHook hook) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(policy, "policy");
        Objects.checkFromIndexSize(0, length, body.length);
        if (start.offset() > length) {
            throw new IllegalArgumentException("start offset " + start.offset() + " is past the body's " + length + " bytes");
        }
        GuardEngine.Result r = engine(policy).scan(body, length, start.offset(), start.afterMessage(), policy, hook);
        return new GuardScan(r.findings(), start.offset(), r.strings(), r.keywordHits(), 0, r.truncated());
    }

    /**
     * Scans only the strings under one top-level member of a JSON object body (every other member is passed over
     * unread): an embeddings request's {@code input}, a string or an array of strings. Findings are in
     * {@link Section#OTHER} with offsets in {@code body}.
     */
    public GuardScan scanMember(byte[] body, int length, String member, GuardPolicy policy) {
        Objects.requireNonNull(member, "member");
        return scan(body, length, ScanStart.whole(), policy,
                (name, valueStart) -> name.equals(member) ? -1 : dev.sluice.guard.incremental.JsonSkip.valueEnd(body, valueStart, length));
    }

    /**
     * Scans a whole answer body ({@code {"content": [...]}} of a non-streaming response): its text blocks and
     * tool inputs, with offsets in the answer body.
     */
    public GuardScan scanAnswer(byte[] body, int length, GuardPolicy policy) {
        return scan(body, length, ScanStart.whole(), policy);
    }

    /** A guard for one streaming answer: feed it the stream's events as they arrive. */
    public dev.sluice.guard.answer.AnswerGuard answerGuard(GuardPolicy policy) {
        return new dev.sluice.guard.answer.AnswerGuard(engine(policy), policy);
    }

    /** The engine for a policy: the built-in one, or one with the policy's custom rules compiled in. */
    public GuardEngine engine(GuardPolicy policy) {
        List<CustomRule> rules = policy.customRules();
        if (rules.isEmpty()) {
            return builtIn;
        }
        return custom.get(rules, r -> {
            List<Detector> all = new ArrayList<>(GuardRules.detectors());
            r.forEach(rule -> all.add(new RegexRule(rule)));
            return GuardEngine.of(all);
        });
    }
}
