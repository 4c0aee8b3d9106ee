package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Single sign-on for Claude Code's gateway protocol ({@code /login}): the device flow against the
 * organisation's OpenID Connect provider, session tokens, managed settings, model policy and client
 * telemetry. Off unless {@code enabled}. (The TLS the CLI insists on is {@code server.tls}.)
 *
 * @param enabled          serve the sign-in endpoints and accept session tokens
 * @param publicUrl        the origin developers type into {@code /login} (issuer, verification URL, IdP
 *                         redirect); required off loopback so nothing is derived from the Host header
 * @param oidc             the organisation's OpenID Connect provider
 * @param loginNotice      optional text (at most 500 characters) the CLI shows beside the code
 * @param deviceCodeTtl    how long a device code may wait for approval
 * @param pollInterval     the polling interval the client is told to keep
 * @param accessTokenTtl   lifetime of a session token (the CLI refreshes it before it ends)
 * @param refreshTokenTtl  lifetime of a refresh token, renewed at each refresh (sliding)
 * @param keyRotation      how often a new signing key is made; the previous ones stay valid for one token lifetime
 * @param syncInterval     how often this gateway reads sessions and keys other replicas wrote: a revocation made
 *                         elsewhere is refused here within this period plus one database read
 * @param allowedEmailDomains sign-in refused for other domains; empty allows every domain
 * @param allowedGroups    sign-in refused unless the IdP lists one of these groups; empty allows every group
 * @param teams            groups (or email domains) to teams, first match wins
 * @param defaultTeam      team for a developer no rule matches; null refuses them
 * @param managedSettings  Claude Code managed settings per group or email domain, first match wins
 * @param models           model allow- and deny-lists, global and per group
 * @param billingGroupTag  request-tag name naming the billing group ({@code tags: {<name>: <group>}}); null: off
 * @param telemetry        where client OTLP telemetry goes
 * @param refreshReuseGrace how long a rotated refresh token presented again still gets the successor its first
 *                         presenter got (two CLI processes refreshing from one credentials file at once, a retried
 *                         refresh), instead of revoking the session as a stolen token's reuse; 0s: never. At most 5m.
 */
public record SigninConfig(Boolean enabled, String publicUrl, Oidc oidc, String loginNotice, Duration deviceCodeTtl,
                           Duration pollInterval, Duration accessTokenTtl, Duration refreshTokenTtl, Duration keyRotation,
                           Duration syncInterval, List<String> allowedEmailDomains, List<String> allowedGroups,
                           List<TeamRule> teams, String defaultTeam, List<SettingsRule> managedSettings, Models models,
                           String billingGroupTag, Telemetry telemetry, Duration refreshReuseGrace) {
    public SigninConfig {
        enabled = enabled != null && enabled;
        deviceCodeTtl = deviceCodeTtl == null ? Duration.ofMinutes(10) : deviceCodeTtl;
        pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
        accessTokenTtl = accessTokenTtl == null ? Duration.ofHours(1) : accessTokenTtl;
        refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(14) : refreshTokenTtl;
        keyRotation = keyRotation == null ? Duration.ofDays(1) : keyRotation;
        syncInterval = syncInterval == null ? Duration.ofSeconds(1) : syncInterval;
        refreshReuseGrace = refreshReuseGrace == null ? Duration.ofSeconds(30) : refreshReuseGrace;
        if (refreshReuseGrace.isNegative() || refreshReuseGrace.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("refresh-reuse-grace: " + refreshReuseGrace.toSeconds() + "s (expected: 0s to 5m)");
        }
        if (keyRotation.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("key-rotation: " + keyRotation.toSeconds() + "s (expected: at least 1m)");
        }
        if (syncInterval.toMillis() < 100 || syncInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("sync-interval: " + syncInterval.toMillis() + "ms (expected: 100ms to 10s)");
        }
        allowedEmailDomains = allowedEmailDomains == null ? List.of() : List.copyOf(allowedEmailDomains);
        allowedGroups = allowedGroups == null ? List.of() : List.copyOf(allowedGroups);
        teams = teams == null ? List.of() : List.copyOf(teams);
        managedSettings = managedSettings == null ? List.of() : List.copyOf(managedSettings);
        models = models == null ? Models.defaults() : models;
        telemetry = telemetry == null ? Telemetry.defaults() : telemetry;
    }

    public static SigninConfig defaults() {
        return new SigninConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /**
     * The IdP. Sluice is a confidential client using the authorization code flow with PKCE.
     *
     * @param issuer       the issuer URL; discovery is read from {@code <issuer>/.well-known/openid-configuration}
     * @param clientId     this gateway's client id at the IdP
     * @param clientSecret its secret (sent with HTTP Basic); may be null for a public client
     * @param scopes       requested scopes ({@code openid} is always added)
     * @param groupsClaim  the claim listing the developer's groups
     * @param prompt       OpenID Connect {@code prompt} sent to the IdP ({@code login}: sign in again even with a
     *                     single-sign-on session; {@code consent}; {@code select_account}); null sends none
     * @param idpVerifiesEmails true when this IdP only issues addresses it verified (a tenant's managed accounts,
     *                     e.g. Entra ID) and may send no {@code email_verified} claim; false (the default) requires
     *                     {@code email_verified: true}. An explicit {@code false} is refused either way.
     */
    public record Oidc(String issuer, String clientId, String clientSecret, List<String> scopes, String groupsClaim,
                       String prompt, Boolean idpVerifiesEmails) {
        public Oidc {
            scopes = scopes == null ? List.of("openid", "email", "profile") : List.copyOf(scopes);
            groupsClaim = groupsClaim == null ? "groups" : groupsClaim;
            idpVerifiesEmails = idpVerifiesEmails != null && idpVerifiesEmails;
            if (prompt != null && (prompt.isBlank()
                    || !java.util.Set.of("login", "consent", "select_account").containsAll(List.of(prompt.strip().split("\\s+"))))) {
                // "none" would let a sign-in started elsewhere finish without the developer seeing the IdP at all.
                throw new IllegalArgumentException("signin.oidc.prompt: '" + prompt
                        + "' (expected: login, consent or select_account, space-separated)");
            }
        }
    }

    /** Matches a developer by IdP group or by email domain (exactly one of the two). */
    public record TeamRule(String group, String emailDomain, String team) {
    }

    /** Managed settings for developers in {@code group} or at {@code emailDomain}; neither set: everyone. */
    public record SettingsRule(String group, String emailDomain, JsonNode settings) {
    }

    /**
     * Model globs ({@code claude-opus-*}). A model is allowed when it matches {@code allow} (or allow is
     * empty) and no deny pattern; per-group rules add their own lists for members of the group.
     */
    public record Models(List<String> allow, List<String> deny, Map<String, Models> groups, List<String> listed) {
        public Models {
            allow = allow == null ? List.of() : List.copyOf(allow);
            deny = deny == null ? List.of() : List.copyOf(deny);
            groups = groups == null ? Map.of() : Map.copyOf(groups);
            listed = listed == null ? List.of() : List.copyOf(listed);
        }

        public static Models defaults() {
            return new Models(null, null, null, null);
        }
    }

    /**
     * Client telemetry relay ({@code POST /v1/metrics|logs|traces} from signed-in clients).
     *
     * @param collectors      OTLP/HTTP collectors ({@code /v1/<signal>} is appended to each url); none: telemetry
     *                        is accepted and dropped
     * @param userAttributes  set {@code user.id}, {@code user.email}, {@code sluice.team}, {@code sluice.org} on every
     *                        resource (replacing any the client sent); false relays the client's data as it came
     * @param maxInFlight     relays under way per collector; exports past it are dropped, never queued
     * @param timeout         deadline of one relay, connect to last byte
     * @param maxBody         largest export accepted (after decompression); larger ones are dropped
     * @param breakerFailures failures in a row (errors, timeouts, 429, 5xx) that open a collector's breaker
     * @param breakerCooldown how long an open breaker refuses before one trial export
     * @param perDeveloperPerMinute exports one developer may have relayed per minute, all their sessions together (a
     *                        quarter of it at once); past it they are dropped, so one client cannot take the
     *                        collectors' in-flight places from everyone else. Claude Code sends a few a minute.
     */
    public record Telemetry(List<Collector> collectors, Boolean userAttributes, Integer maxInFlight, Duration timeout,
                            Size maxBody, Integer breakerFailures, Duration breakerCooldown, Integer perDeveloperPerMinute) {
        public Telemetry {
            collectors = collectors == null ? List.of() : List.copyOf(collectors);
            userAttributes = userAttributes == null || userAttributes;
            maxInFlight = maxInFlight == null ? 16 : maxInFlight;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            maxBody = maxBody == null ? Size.ofMegabytes(1) : maxBody;
            breakerFailures = breakerFailures == null ? 5 : breakerFailures;
            breakerCooldown = breakerCooldown == null ? Duration.ofSeconds(30) : breakerCooldown;
            perDeveloperPerMinute = perDeveloperPerMinute == null ? 600 : perDeveloperPerMinute;
            if (perDeveloperPerMinute < 1 || perDeveloperPerMinute > 60_000) {
                throw new IllegalArgumentException("per-developer-per-minute: " + perDeveloperPerMinute + " (expected: 1 to 60000)");
            }
            if (maxInFlight < 1 || maxInFlight > 1024) {
                throw new IllegalArgumentException("max-in-flight: " + maxInFlight + " (expected: 1 to 1024)");
            }
            if (timeout.toMillis() < 1 || breakerCooldown.toMillis() < 1 || breakerFailures < 1) {
                throw new IllegalArgumentException("timeout, breaker-cooldown and breaker-failures must be positive");
            }
            if (maxBody.bytes() > 64L * 1024 * 1024) {
                throw new IllegalArgumentException("max-body: " + maxBody.bytes() + " bytes (expected: at most 64MB)");
            }
        }

        public static Telemetry defaults() {
            return new Telemetry(null, null, null, null, null, null, null, null);
        }
    }

    /**
     * One OTLP/HTTP collector: its base URL and headers to send (an API key, say). Written as a plain
     * URL string or as {@code {url: ..., headers: {...}}}.
     */
    public record Collector(String url, Map<String, String> headers) {
        public Collector {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new IllegalArgumentException("collector url: '" + url + "' (expected: an http:// or https:// URL)");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Collector of(String url) {
            return new Collector(url, null);
        }
    }
}
