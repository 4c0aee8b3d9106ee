package dev.sluice.guard;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.cache.entry.WriteGuard;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The response cache's write guard (the poisoning guard): an answer holding a credential, personal data the policy
 * covers, or injected instructions is served to the client that asked but never stored, so it is never replayed
 * to anyone else. It plugs into the cache's {@link WriteGuard} seam; the cache hands it the answer's readable text
 * ({@code dev.sluice.cache.entry.AnswerText}: text, thinking and tool-input strings).
 *
 * <pre>{@code
 * WriteGuard guard = new CacheWriteGuard(guardStage.scanner(), () -> live.current().get(GuardSettings.PART).defaultPolicy());
 * ResponseCache.create(vertx, store, guard, sha256);
 * }</pre>
 *
 * The policy is read per call, so a reload of {@code guard.rules} applies to the next write. The text is scanned as
 * one answer text block (the same rules and bounds as answer scanning; the scan is linear in the text). Its reason
 * names rules only, never the matched text, because the cache counts and logs reasons.
 */
public final class CacheWriteGuard implements WriteGuard {
    /** Longest text checked; a longer answer is refused, not scanned for long. */
    public static final int MAX_TEXT = dev.sluice.guard.answer.AnswerGuard.MAX_ANSWER;

    private final GuardScanner scanner;
    private final Supplier<GuardPolicy> policy;

    public CacheWriteGuard(GuardScanner scanner, Supplier<GuardPolicy> policy) {
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String flag(String answerText) {
        return flag(answerText, policy.get());
    }

    /** {@link #flag(String)} under {@code policy} (the caller's, rather than the section's own). */
    public String flag(String answerText, GuardPolicy policy) {
        if (answerText == null || answerText.isEmpty()) {
            return null;
        }
        if (answerText.length() > MAX_TEXT) {
            return "answer too long to check (" + answerText.length() + " characters)";
        }
        List<Finding> found = findings(answerText, policy);
        if (found.isEmpty()) {
            return null;
        }
        return "guard found " + String.join(", ", found.stream().map(Finding::rule).distinct().limit(5).toList());
    }

    /** What the scanners find in {@code text} under the policy in force. */
    public List<Finding> findings(String text) {
        return findings(text, policy.get());
    }

    private List<Finding> findings(String text, GuardPolicy policy) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        byte[] head = "{\"content\":[{\"type\":\"text\",\"text\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + quoted.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(quoted, 0, body, head.length, quoted.length);
        System.arraycopy(tail, 0, body, head.length + quoted.length, tail.length);
        GuardScan scan = scanner.scanAnswer(body, body.length, policy);
        return scan.truncated() && scan.findings().isEmpty() ? List.of(truncatedMarker()) : scan.findings();
    }

    private static Finding truncatedMarker() {
        return new Finding("scan-truncated", Category.INJECTION, Severity.HIGH, 0, 0,
                new Location(Section.ANSWER, -1, -1, -1, "", "", Source.ANSWER, 1), 1);
    }
}
