package dev.sluice.wire;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the gateway. Requests keep everything the client sent except transport
 * headers, credentials and our own controls; responses keep only the headers a client protocol
 * defines, less the facts the upstream states about the gateway's own account (rate limits, its
 * request id, its organization).
 */
public final class HeaderRules {
    /**
     * RFC 9110 §7.6.1 connection-specific headers, plus ones the HTTP layer sets itself, plus
     * {@code expect}: the front answers a 100-continue itself, and the body is already in hand.
     */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "host", "content-length", "expect");

    /**
     * The upstream response headers a client may get, besides {@code anthropic-*} ({@link #relayDownstream}). An
     * allowlist, not a denylist: what an upstream and the CDNs, meshes and proxies in front of it add is open-ended
     * ({@code server}, {@code via}, {@code cf-ray}, {@code x-envoy-*}, {@code x-amzn-requestid},
     * {@code x-backend-server}, {@code location}, {@code www-authenticate}, ...), and each new one would reach clients
     * until someone listed it, naming internal hosts and addresses. What a client reads is short and known: the
     * Anthropic and OpenAI SDKs and Claude Code read the retry hints and {@code x-should-retry}; the request id and the
     * rate limits they read are the gateway's own, set after this filter. {@code content-type} passes, though the
     * response head then takes the client protocol's. {@code content-encoding} is never relayed: the gateway asks for
     * uncoded answers and relays the bytes as they came, so a coding label on them would be false.
     */
    private static final Set<String> RELAYED = Set.of("content-type", "retry-after", "retry-after-ms", "x-should-retry");

    /** The two sets as arrays, for comparisons that ignore case. */
    private static final String[] HOP_BY_HOP_NAMES = HOP_BY_HOP.toArray(String[]::new);
    private static final String[] RELAYED_NAMES = RELAYED.toArray(String[]::new);

    private HeaderRules() {
    }

    /** True if a client request header is forwarded to the upstream. */
    public static boolean forwardUpstream(String name) {
        // accept-encoding: we read response bodies (usage), so they must arrive uncoded; every upstream request asks
        // for identity instead (upstream.OutboundRequest). Compared ignoring case rather than lower-cased first: a
        // dozen names a request, and a client that sends Content-Type made each one a new string.
        for (String hop : HOP_BY_HOP_NAMES) {
            if (hop.equalsIgnoreCase(name)) {
                return false;
            }
        }
        return !name.equalsIgnoreCase("x-api-key") && !name.equalsIgnoreCase("authorization")
                && !name.equalsIgnoreCase("accept-encoding") && !startsIgnoringCase(name, "x-sluice-");
    }

    private static boolean startsIgnoringCase(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /**
     * The header names a message's {@code Connection} header nominates as connection-specific
     * (RFC 9110 §7.6.1: a proxy removes them along with {@code Connection} itself), lower case, from the values of
     * its {@code Connection} fields (a map lookup for the caller, not a walk over every header it has).
     */
    public static Set<String> nominated(List<String> connectionValues) {
        Set<String> names = null;
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    if (names == null) {
                        names = new HashSet<>();
                    }
                    names.add(name);
                }
            }
        }
        return names == null ? Set.of() : names;
    }

    /**
     * True if an upstream response header is relayed to the client: {@link #RELAYED}, and {@code anthropic-*} (the
     * Anthropic wire's own, so a header Anthropic adds later still reaches clients) except the upstream's rate limits
     * (standard and Priority Tier) and organization: they describe the gateway's account, not the caller's (the gateway
     * sends a caller's own {@code anthropic-ratelimit-unified-*} itself, from its budgets).
     */
    public static boolean relayDownstream(String name) {
        if (startsIgnoringCase(name, "anthropic-")) {
            return !startsIgnoringCase(name, "anthropic-ratelimit-") && !startsIgnoringCase(name, "anthropic-priority-")
                    && !name.equalsIgnoreCase("anthropic-organization-id");
        }
        for (String relayed : RELAYED_NAMES) {
            if (relayed.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
