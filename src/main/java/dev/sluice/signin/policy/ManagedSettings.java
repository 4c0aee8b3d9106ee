package dev.sluice.signin.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.authenticate.Credentials;
import dev.sluice.config.SigninConfig;
import dev.sluice.respond.Replies;
import dev.sluice.signin.session.EmailDomains;
import dev.sluice.signin.session.SessionResolver;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code GET /managed/settings}: the signed-in developer's Claude Code managed settings, chosen by
 * the first rule naming one of their IdP groups or their email domain (a rule naming neither applies
 * to everyone). Wrapped as {@code {"uuid","checksum","settings"}}, with the checksum as a quoted
 * {@code ETag}; {@code 304} only in answer to a matching {@code If-None-Match} (the client counts an
 * unasked 304 as a failure), and {@code If-None-Match: *} answered as if absent. {@code 404} means
 * "no managed policy", which is not the same as an empty one.
 */
public final class ManagedSettings {
    public static final String PATH = "/managed/settings";

    private final List<Rule> rules;
    private final SessionResolver sessions;

    public ManagedSettings(List<SigninConfig.SettingsRule> config, SessionResolver sessions) {
        this.rules = config.stream().map(Rule::of).toList();
        this.sessions = sessions;
    }

    /** The settings document for a developer, or null when no rule applies. */
    public Rule forUser(SignedInUser user) {
        String domain = user.email().substring(user.email().lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if (r.group == null && r.emailDomain == null
                    || r.group != null && user.groups().contains(r.group)
                    || EmailDomains.same(r.emailDomain, domain)) {
                return r;
            }
        }
        return null;
    }

    public void handle(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            Replies.send(req.response(), new ApiError(405, "invalid_request_error", "use GET", false, null));
            return;
        }
        SignedInUser user = sessions.user(Credentials.presented(req.headers()));
        if (user == null) {
            Replies.send(req.response(), ApiError.authentication("sign in to this gateway with /login"));
            return;
        }
        Rule r = forUser(user);
        req.response().putHeader("cache-control", "no-cache");
        if (r == null) {
            Replies.send(req.response(), ApiError.notFound("no managed settings for your account"));
            return;
        }
        req.response().putHeader("etag", "\"" + r.checksum + "\"");
        String ifNoneMatch = req.getHeader("if-none-match");
        if (ifNoneMatch != null && matches(ifNoneMatch, r.checksum)) {
            req.response().setStatusCode(304).end();
            return;
        }
        req.response().putHeader("content-type", "application/json").end(r.body);
    }

    /** True when the header names this checksum, quoted or not, alone or in a list; {@code *} never matches here. */
    static boolean matches(String header, String checksum) {
        for (String part : header.split(",")) {
            String v = part.strip();
            if (v.startsWith("W/")) {
                v = v.substring(2);
            }
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            if (v.equals(checksum)) {
                return true;
            }
        }
        return false;
    }

    /** One rule, with its document rendered once. */
    public record Rule(String group, String emailDomain, JsonNode settings, String checksum, String body) {
        static Rule of(SigninConfig.SettingsRule c) {
            JsonNode settings = c.settings() == null ? Json.MAPPER.createObjectNode() : c.settings();
            String checksum = CanonicalJson.checksum(settings);
            ObjectNode doc = Json.MAPPER.createObjectNode();
            // A stable id per document: the same settings keep the same uuid across restarts and replicas.
            doc.put("uuid", UUID.nameUUIDFromBytes(checksum.getBytes(StandardCharsets.UTF_8)).toString());
            doc.put("checksum", checksum);
            doc.set("settings", settings);
            return new Rule(c.group(), c.emailDomain(), settings, checksum, doc.toString());
        }
    }
}
