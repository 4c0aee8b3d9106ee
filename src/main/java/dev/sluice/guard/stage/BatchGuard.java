package dev.sluice.guard.stage;

import dev.sluice.config.Snapshot;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScan;
import dev.sluice.guard.MalformedBodyException;
import dev.sluice.guard.ScanLimitException;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import java.util.List;

/**
 * The guard stage's request check for a body that does not travel through the pipeline: each request of a Message
 * Batch, whose params are a Messages body. The same policy choice (caller, upstream, model), scanners and actions as
 * {@link GuardStage#onRequest}: a block refuses (the whole batch, since it goes upstream as one call), a redaction
 * edits the params, a flag lets them through and is counted.
 *
 * <p>The policy webhook is not called: a batch of up to 100,000 requests would be as many webhook calls before the
 * batch could be created. A batch is refused instead while a webhook is configured, saying so.
 */
public final class BatchGuard {
    /** The params to forward (redacted where the policy said so) and the verdict's summary, null when nothing was found. */
    public record Checked(byte[] params, String verdict) {
    }

    private final GuardStage stage;

    public BatchGuard(GuardStage stage) {
        this.stage = stage;
    }

    /** True when guard.enabled is on in {@code snapshot}. */
    public static boolean enabled(Snapshot snapshot) {
        return snapshot.get(GuardSettings.PART).enabled();
    }

    /**
     * Checks one request's params; throws the 400 the client gets.
     *
     * @param where    how the client names the request ({@code requests[3] (custom_id "q-3")})
     * @param upstream the upstream the request routes to, for policies that match on it
     */
    public Checked check(Snapshot snapshot, Identity who, String upstream, String model, String where, byte[] params,
                         String auditId) {
        GuardSettings s = snapshot.get(GuardSettings.PART);
        if (!s.enabled()) {
            return new Checked(params, null);
        }
        if (s.webhook() != null) {
            throw ApiError.invalidRequest("Message Batches are refused while the gateway's guard calls a policy webhook"
                    + " (guard.webhook): each request would need its own call before the batch is created. Send the requests"
                    + " to /v1/messages, or ask the operator.");
        }
        GuardSettings.Entry entry = s.entryFor(who, () -> upstream, model);
        GuardPolicy policy = s.policyFor(entry, who);
        GuardVerdict v = GuardVerdict.of(entry, policy, scan(params, policy, where, auditId));
        GuardCounters counters = stage.counters();
        counters.scanned.increment();
        if (v.truncated() != null) {
            counters.truncated.increment();
        }
        if (v.action() == GuardAction.BLOCK) {
            counters.blocked.increment();
            throw new ApiError(400, BlockReply.TYPE, where + ": " + BlockReply.message(v, auditId), false, null);
        }
        List<Finding> redact = v.with(GuardAction.REDACT);
        if (!redact.isEmpty()) {
            RequestBody body = RequestBody.of(params);
            s.redactor().redact(body, redact);
            counters.redacted.increment();
            return new Checked(body.bytes().getBytes(), v.summary());
        }
        if (v.action() == GuardAction.FLAG) {
            counters.flagged.increment();
        }
        return new Checked(params, v.action() == null ? null : v.summary());
    }

    /**
     * Checks a request's {@code custom_id}, which goes upstream beside the params and names the request's ledger record
     * ({@code <batch>:<custom_id>}): a token fits its pattern (attack round 39 sent a GitHub token that way). What the policy
     * blocks or redacts there refuses the batch, since a placeholder is no custom_id, and the reply names the field, never
     * the value; what it flags passes.
     *
     * @param customId letters, digits, {@code -} and {@code _} only (checked before), so it needs no JSON escaping
     */
    public void checkCustomId(Snapshot snapshot, Identity who, String upstream, String model, int index, String customId,
                              String auditId) {
        GuardSettings s = snapshot.get(GuardSettings.PART);
        if (!s.enabled()) {
            return;
        }
        String where = "requests[" + index + "].custom_id";
        GuardSettings.Entry entry = s.entryFor(who, () -> upstream, model);
        GuardPolicy policy = s.policyFor(entry, who);
        byte[] json = ("{\"custom_id\":\"" + customId + "\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        GuardVerdict v = GuardVerdict.of(entry, policy, scan(json, policy, where, auditId));
        List<Finding> refused = new java.util.ArrayList<>(v.with(GuardAction.BLOCK));
        refused.addAll(v.with(GuardAction.REDACT));
        if (!refused.isEmpty()) {
            stage.counters().blocked.increment();
            throw new ApiError(400, BlockReply.TYPE, where + ": holds what the gateway's content policy does not let through (rule "
                    + refused.getFirst().rule() + "); nothing was sent. Name the request otherwise. Audit id " + auditId + ".", false, null);
        }
    }

    /** As the stage's scan: a body that is not JSON is the client's error, any other failure refuses. */
    private GuardScan scan(byte[] params, GuardPolicy policy, String where, String auditId) {
        try {
            return stage.scanner().scan(params, params.length, policy);
        } catch (MalformedBodyException e) {
            throw ApiError.invalidRequest(where + ".params: not valid JSON at byte " + e.offset());
        } catch (ScanLimitException e) {
            throw ApiError.invalidRequest(where + ".params: more than " + e.limit() + " " + e.what() + " for the gateway's"
                    + " content policy to check (expected: at most " + e.limit() + ")");
        } catch (RuntimeException e) {
            throw new ApiError(400, BlockReply.TYPE, where + ": the gateway's content policy could not check this request"
                    + " (rule scan-failed); nothing was sent. Audit id " + auditId + ".", false, null);
        }
    }
}
