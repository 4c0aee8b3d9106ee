package dev.sluice.guard.stage;

import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScan;
import dev.sluice.guard.webhook.WebhookVerdict;
import dev.sluice.pipeline.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * What the guard decided about one exchange: each finding of the request with its action, whether the scan stopped
 * early, what the webhook said, and what answer scanning found. Its {@link #summary()} goes to the ledger, the trace
 * and the audit log: rule names and places only, never matched text. Confined to the exchange's event loop.
 */
public final class GuardVerdict {
    public static final Exchange.Key<GuardVerdict> KEY = new Exchange.Key<>("guard", GuardVerdict.class);
    /** Longest summary kept; the rest is counted ("+3 more"). */
    static final int MAX_SUMMARY = 600;

    /** One finding and what it led to. */
    public record Decision(Finding finding, GuardAction action) {
    }

    private final String policy;
    private final GuardPolicy scanPolicy;
    private final List<Decision> decisions;
    private final GuardAction truncated;
    private final List<Finding> answer = new ArrayList<>();
    private WebhookVerdict webhook;
    private int redacted;

    private GuardVerdict(String policy, GuardPolicy scanPolicy, List<Decision> decisions, GuardAction truncated) {
        this.policy = policy;
        this.scanPolicy = scanPolicy;
        this.decisions = List.copyOf(decisions);
        this.truncated = truncated;
    }

    /** Applies the policy's actions to a scan. */
    static GuardVerdict of(GuardSettings.Entry entry, GuardPolicy scanPolicy, GuardScan scan) {
        List<Decision> d = new ArrayList<>(scan.findings().size());
        for (Finding f : scan.findings()) {
            d.add(new Decision(f, entry.actions().decide(f)));
        }
        return new GuardVerdict(entry.name(), scanPolicy, d, scan.truncated() ? entry.actions().truncated() : null);
    }

    /** The configuration key of the policy that applied ({@code guard} or {@code guard.policies[N]}). */
    public String policy() {
        return policy;
    }

    /** The scan policy the request was scanned with (the caller's tenant scope); answers are scanned with it too. */
    GuardPolicy scanPolicy() {
        return scanPolicy;
    }

    public List<Decision> decisions() {
        return decisions;
    }

    /** The action for the scan stopping early, or null when it did not. */
    public GuardAction truncated() {
        return truncated;
    }

    public WebhookVerdict webhook() {
        return webhook;
    }

    void webhook(WebhookVerdict v) {
        this.webhook = v;
    }

    void redacted(int n) {
        this.redacted = n;
    }

    /** How many findings were replaced by placeholders. */
    public int redacted() {
        return redacted;
    }

    /** Findings in the answer (when answers are scanned). */
    public List<Finding> answer() {
        return answer;
    }

    void addAnswer(List<Finding> found) {
        answer.addAll(found);
    }

    /** The findings whose action is {@code a}. */
    public List<Finding> with(GuardAction a) {
        return decisions.stream().filter(d -> d.action() == a).map(Decision::finding).toList();
    }

    /** The strictest action of all, or null when nothing was found (answer findings are always flags). */
    public GuardAction action() {
        GuardAction a = truncated;
        for (Decision d : decisions) {
            a = GuardAction.stricter(a, d.action());
        }
        if (webhook != null && webhook.block()) {
            a = GuardAction.BLOCK;
        }
        if (a == null && !answer.isEmpty()) {
            a = GuardAction.FLAG;
        }
        return a;
    }

    /**
     * For the ledger, the trace and the audit log: the strictest action first, then each finding as
     * {@code action rule@where}, e.g. {@code redact: redact github-token@messages[3].content[0] (tool_result), line 4};
     * {@code pass} when the request was scanned and nothing was found. Bounded at {@value #MAX_SUMMARY} characters.
     */
    public String summary() {
        GuardAction a = action();
        boolean webhookSays = webhook != null && (webhook.block() || !webhook.answered());
        if (a == null && !webhookSays) {
            return "pass";
        }
        List<String> parts = new ArrayList<>();
        if (truncated != null) {
            parts.add(truncated.label() + " scan-truncated");
        }
        for (Decision d : decisions) {
            parts.add(d.action().label() + " " + d.finding().rule() + "@" + where(d.finding()));
        }
        if (webhookSays) {
            parts.add((webhook.block() ? "block" : "pass") + " webhook" + (webhook.ruleId().isEmpty() ? "" : ":" + webhook.ruleId())
                    + (webhook.answered() ? "" : " (" + webhook.outcome().name().toLowerCase(java.util.Locale.ROOT) + ")"));
        }
        for (Finding f : answer) {
            parts.add("flag answer " + f.rule() + "@" + where(f));
        }
        return join((a == null ? "pass" : a.label()) + ": ", parts);
    }

    /**
     * Where a finding is, for people: {@link dev.sluice.guard.Location#describe()}, cut at {@value #MAX_WHERE} characters
     * and without control characters, because it quotes a JSON key the client chose.
     */
    static String where(Finding f) {
        String d = f.location().describe();
        StringBuilder s = new StringBuilder(Math.min(d.length(), MAX_WHERE));
        for (int i = 0; i < d.length() && s.length() < MAX_WHERE; i++) {
            char c = d.charAt(i);
            s.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() < d.length() ? s.append("...").toString() : s.toString();
    }

    static final int MAX_WHERE = 160;

    static String join(String head, List<String> parts) {
        StringBuilder s = new StringBuilder(head);
        for (int i = 0; i < parts.size(); i++) {
            String p = (i == 0 ? "" : "; ") + parts.get(i);
            if (s.length() + p.length() > MAX_SUMMARY) {
                return s.append("; +").append(parts.size() - i).append(" more").toString();
            }
            s.append(p);
        }
        return s.toString();
    }
}
