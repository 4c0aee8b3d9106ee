package dev.sluice.guard.stage;

import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScanner;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.HeaderRules;
import dev.sluice.wire.JsonText;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What goes upstream beside the body: the request headers a door forwards ({@link HeaderRules#forwardUpstream}: a
 * client's own custom headers, {@code anthropic-beta}, Claude Code's {@code ANTHROPIC_CUSTOM_HEADERS}) and the query
 * string, read with the body's policy (attack round 39: a token in a custom header or the query reached the
 * upstream unread). A header cannot be redacted in place the way a body is, so what the policy blocks or redacts there
 * refuses the request, naming the header and the rule, never the value; what it flags passes.
 */
final class HeaderGuard {
    /** The values are read under neutral names, so a header called {@code data} or {@code id} is not skipped as opaque. */
    private static final String NAME = "h";

    private HeaderGuard() {
    }

    /** The header (or {@code query string}) that holds a finding the policy refuses, or null when none does. */
    static String refused(GuardScanner scanner, MultiMap headers, String query, GuardPolicy policy, GuardSettings.Entry entry) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Set<String> nominated = HeaderRules.nominated(headers.getAll("connection"));
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HeaderRules.forwardUpstream(name) && !nominated.contains(name)) {
                names.add(name);
                values.add(h.getValue());
            }
        }
        if (query != null && !query.isEmpty()) {
            names.add("query string");
            values.add(query);
        }
        if (values.isEmpty() || !refuses(scanner, values, policy, entry)) {
            return null;
        }
        for (int i = 0; i < values.size(); i++) { // rare: which one, to say so
            if (refuses(scanner, values.subList(i, i + 1), policy, entry)) {
                return names.get(i);
            }
        }
        return "request headers";
    }

    static ApiError reply(String where, String requestId) {
        return new ApiError(400, BlockReply.TYPE, "Blocked by the gateway's content policy, nothing was sent to the model: the "
                + (where.equals("query string") ? "query string" : "request header " + where) + " holds what the policy does not"
                + " let through (a header cannot be redacted as a body is). Remove it and try again. Request id " + requestId + ".",
                false, null);
    }

    private static boolean refuses(GuardScanner scanner, List<String> values, GuardPolicy policy, GuardSettings.Entry entry) {
        JsonText json = new JsonText(256);
        for (int i = 0; i < values.size(); i++) {
            json.field(NAME + i, values.get(i));
        }
        byte[] bytes = json.closedBytes();
        GuardVerdict v = GuardVerdict.of(entry, policy, scanner.scan(bytes, bytes.length, policy));
        return !v.with(GuardAction.BLOCK).isEmpty() || !v.with(GuardAction.REDACT).isEmpty();
    }
}
