package dev.sluice.admin;

import static dev.sluice.admin.Endpoint.read;
import static dev.sluice.admin.Endpoint.write;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.ConfigVersions;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * The live configuration: which version serves, every applied version (who, when, from where; the
 * diff for write credentials only), reload from the file, rollback to a recorded version. A file that does not parse or
 * validate is a 400 with the configuration's own error message; the running version keeps serving.
 */
final class ConfigEndpoints {
    private ConfigEndpoints() {
    }

    static List<Endpoint> all(LiveConfig live) {
        return List.of(
                read("/admin/config", c -> {
                    Snapshot s = live.current();
                    ObjectNode out = Json.MAPPER.createObjectNode();
                    out.put("version", s.version()).put("applied_at", s.appliedAt().toString())
                            .put("file", live.file() == null ? null : live.file().toString());
                    return Reply.json(200, out.toString());
                }),
                read("/admin/config/versions", c -> {
                    ArrayNode list = Json.MAPPER.createArrayNode();
                    for (ConfigVersions.Version v : live.history()) {
                        list.add(version(v, false));
                    }
                    ObjectNode out = Json.MAPPER.createObjectNode();
                    out.put("current", live.current().version()).set("versions", list);
                    return Reply.json(200, out.toString());
                }),
                // A version's diff is the file as written, secrets written out in it redacted (ConfigSecrets); still for
                // write credentials only: what else a file says (addresses, rules) is not for every read key.
                write(HttpMethod.GET, "/admin/config/versions/{n}", c -> {
                    int n = number(c.param("n"));
                    ConfigVersions.Version v = live.version(n);
                    if (v == null) {
                        throw ApiError.notFound("No configuration version " + n);
                    }
                    return Reply.json(200, version(v, true).toString());
                }),
                write(HttpMethod.POST, "/admin/config/reload", c -> applied(live.reload(who(c), "admin API"))),
                // ?write=true also writes the version's exact text to the configuration file, so that the next reload
                // from the file (SIGHUP, sluice reload, the file watch) keeps the rollback instead of replacing it.
                write(HttpMethod.POST, "/admin/config/rollback/{n}", c -> {
                    int n = number(c.param("n"));
                    boolean writeFile = writeFlag(c.allowQuery("write").query("write"));
                    if (live.version(n) == null) {
                        throw ApiError.notFound("No configuration version " + n); // as GET .../versions/{n} says
                    }
                    return applied(live.rollback(n, who(c), writeFile));
                }));
    }

    private static ObjectNode version(ConfigVersions.Version v, boolean withDiff) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("version", v.number()).put("applied_at", v.appliedAt().toString()).put("who", v.who()).put("source", v.source())
                .put("sha256", v.sha256());
        v.restartNeeded().forEach(n.putArray("restart_needed")::add);
        if (withDiff) {
            n.put("diff", v.diff());
        }
        return n;
    }

    private static Reply applied(LiveConfig.Applied a) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("version", a.version()).put("previous", a.previous());
        a.restartNeeded().forEach(out.putArray("restart_needed")::add);
        if (a.unchanged()) {
            out.put("unchanged", true);
        }
        if (a.note() != null) {
            out.put("note", a.note());
        }
        return Reply.json(200, out.toString());
    }

    private static boolean writeFlag(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiError.invalidRequest("write: '" + value + "' (expected: true or false)");
    }

    private static String who(AdminCall c) {
        return c.who() == null ? "admin API" : c.who();
    }

    private static int number(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiError.invalidRequest("'" + s + "' is not a configuration version (expected: a positive integer)");
    }
}
