package dev.sluice.admin;

import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One admin operation: a method, a path pattern whose {@code {name}} segments capture values, whether it changes
 * anything (then it needs the {@code write} role), and the blocking work that answers it.
 *
 * @param recordsItself the work writes its own audit line for a change it made (budgets: what was set, with the
 *                      definition), so the admin API records only this endpoint's refusals, never a second line
 */
record Endpoint(HttpMethod method, String pattern, boolean writes, boolean recordsItself, Action action) {

    /** The work, run on a worker thread. */
    interface Action {
        Reply run(AdminCall call);
    }

    static Endpoint read(String pattern, Action action) {
        return new Endpoint(HttpMethod.GET, pattern, false, false, action);
    }

    static Endpoint write(HttpMethod method, String pattern, Action action) {
        return new Endpoint(method, pattern, true, false, action);
    }

    /** A change whose work records itself in the audit log (see {@code recordsItself}). */
    static Endpoint writeRecorded(HttpMethod method, String pattern, Action action) {
        return new Endpoint(method, pattern, true, true, action);
    }

    /** The captured values if {@code path} fits the pattern (whatever the method), else null. */
    Map<String, String> match(String path) {
        String[] want = pattern.split("/");
        String[] got = path.split("/");
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                params.put(want[i].substring(1, want[i].length() - 1), URLDecoder.decode(got[i], StandardCharsets.UTF_8));
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }
}
