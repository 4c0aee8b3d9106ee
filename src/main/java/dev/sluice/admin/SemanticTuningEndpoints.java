package dev.sluice.admin;

import static dev.sluice.admin.DirectoryEndpoints.ok;
import static dev.sluice.admin.Endpoint.read;
import static dev.sluice.admin.Endpoint.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.learn.Dollars;
import dev.sluice.cache.learn.Since;
import dev.sluice.cache.learn.capture.Shape;
import dev.sluice.cache.learn.tuning.ConfigEdit;
import dev.sluice.cache.learn.tuning.ThresholdTuning;
import dev.sluice.cache.report.CacheAdmin;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.learn.Observation;
import dev.sluice.cache.semantic.learn.ThresholdProposal;
import dev.sluice.config.LiveConfig;
import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpMethod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Semantic thresholds proposed from what the cache learned (issue 8), in the admin API:
 * <pre>
 * GET  /admin/cache/semantic/proposal?since=7d        a base threshold per model glob, each with its evidence
 * POST /admin/cache/semantic/proposal/apply           applies the proposal as a new configuration version
 * </pre>
 * The evidence is this replica's verdicts (shadow comparisons, feedback, refresh signals: the newest 10,000) and,
 * when the capture is on, the captured misses and hits a change would decide otherwise. Applying computes the
 * proposal again, so what is applied is what the evidence says at that moment; the version records who applied it
 * and why, and {@code SemanticRollback} puts it on trial like any change to the section.
 */
final class SemanticTuningEndpoints {
    static final String SOURCE = "semantic threshold proposal";

    private SemanticTuningEndpoints() {
    }

    static List<Endpoint> all(CacheAdmin cache, LiveConfig live) {
        return List.of(read("/admin/cache/semantic/proposal", c -> {
            c.allowQuery("since");
            return ok(json(tuning(cache, live, since(c.query("since"), c.now().toEpochMilli())), c.query("since")));
        }), write(HttpMethod.POST, "/admin/cache/semantic/proposal/apply", c -> {
            ThresholdTuning.Tuning t = tuning(cache, live, since(null, c.now().toEpochMilli()));
            if (!t.changes()) {
                throw new ApiError(409, "invalid_request_error", "the proposal changes no threshold: nothing to apply", false, null);
            }
            String text = live.currentText();
            if (text == null) {
                throw new ApiError(409, "invalid_request_error",
                        "no text of the configuration serving now (the gateway was started without a file and not reloaded since):"
                                + " nothing to apply the proposal to; set cache.semantic.thresholds by hand", false, null);
            }
            String next;
            try {
                next = ConfigEdit.withThresholds(text, t.thresholds());
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest(e.getMessage());
            }
            LiveConfig.Applied applied = live.apply(next, SOURCE, c.who() == null ? "admin API" : c.who(), SOURCE + ": " + summary(t));
            ObjectNode out = json(t, null);
            out.put("version", applied.version()).put("previous", applied.previous());
            return ok(out);
        }));
    }

    private static long since(String text, long now) {
        try {
            return now - Since.parse("query parameter since", text == null ? "7d" : text).toMillis();
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
    }

    private static ThresholdTuning.Tuning tuning(CacheAdmin cache, LiveConfig live, long sinceMillis) {
        SemanticMatcher m = cache.semantic() == null ? null : cache.semantic().matcher();
        if (m == null) {
            throw new ApiError(409, "invalid_request_error",
                    "the semantic cache is not running on this gateway (cache.semantic.mode is off, or its model is not open yet)",
                    false, null);
        }
        List<Observation> observations = m.shadowLog().recent().stream().map(Observation::of).toList();
        List<Shape> shapes = cache.service().shapes().enabled()
                ? CacheLearnEndpoints.capture(cache, sinceMillis).shapes() : List.of();
        return ThresholdTuning.propose(live.current().config().cache().semantic(), observations, shapes, Shape::valueNanoUsd);
    }

    /** For the version's source: each change, e.g. {@code claude-* 0.92 -> 0.9031}. */
    private static String summary(ThresholdTuning.Tuning t) {
        return t.rows().stream().map(ThresholdTuning.Row::proposal).filter(p -> p.change() != ThresholdProposal.Change.KEEP)
                .map(p -> String.format(Locale.ROOT, "%s %.4f -> %.4f", p.glob(), p.current(), p.proposed()))
                .collect(Collectors.joining(", "));
    }

    private static ObjectNode json(ThresholdTuning.Tuning t, String since) {
        ObjectNode out = JsonBody.MAPPER.createObjectNode();
        out.put("since", since == null ? "7d" : since).put("verdicts", t.verdicts()).put("error_bound", t.errorBound())
                .put("floor", t.floor()).put("changes", t.changes());
        var rows = out.putArray("proposals");
        for (ThresholdTuning.Row r : t.rows()) {
            ThresholdProposal p = r.proposal();
            ThresholdProposal.Evidence e = p.evidence();
            ObjectNode o = rows.addObject();
            o.put("glob", p.glob()).put("current", round(p.current())).put("proposed", round(p.proposed()))
                    .put("change", p.change().name().toLowerCase(Locale.ROOT)).put("why", p.why());
            o.putObject("evidence").put("observations", e.observations()).put("right", e.right()).put("wrong", e.wrong())
                    .put("highest_wrong", Double.isNaN(e.highestWrong()) ? null : round(e.highestWrong()))
                    .put("hits_at_current", e.servedAtCurrent()).put("hits_at_proposed", e.servedAtProposed())
                    .put("wrong_at_proposed", e.wrongAtProposed()).put("error_upper_bound", round(e.errorUpperBound()))
                    .put("needed_for_bound", e.neededForBound())
                    .put("captured_misses_in_reach", r.missesInReach()).put("captured_misses_usd", Dollars.usd(r.missesNanoUsd()))
                    .put("captured_hits_lost", r.hitsLost()).put("captured_hits_usd", Dollars.usd(r.hitsNanoUsd()));
        }
        var thresholds = out.putObject("thresholds");
        t.thresholds().forEach((g, v) -> thresholds.put(g, round(v)));
        return out;
    }

    private static BigDecimal round(double d) {
        return BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_EVEN);
    }
}
