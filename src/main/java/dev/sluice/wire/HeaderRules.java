package dev.sluice.wire;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the gateway. Requests keep everything the client sent except transport
 * headers, credentials and our own controls; responses lose transport headers and the facts the
 * upstream states about the gateway's own account (rate limits, its request id, its organization).
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
     * The upstream's own infrastructure, never the client's business: its server and framework names, cookies for its
     * domain (a client would keep them for ours), its proxies' Via, and policies a browser would pin to the gateway's
     * host (HSTS, Alt-Svc pointing at ports the gateway does not serve).
     */
    private static final Set<String> UPSTREAM_ONLY = Set.of("server", "x-powered-by", "set-cookie", "set-cookie2", "via",
            "strict-transport-security", "alt-svc");

    private HeaderRules() {
    }

    /** True if a client request header is forwarded to the upstream. */
    public static boolean forwardUpstream(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        // accept-encoding: we read response bodies (usage), so they must arrive uncompressed.
        return !HOP_BY_HOP.contains(n) && !n.equals("x-api-key") && !n.equals("authorization")
                && !n.equals("accept-encoding") && !n.startsWith("x-sluice-");
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

    /** True if an upstream response header is relayed to the client. */
    public static boolean relayDownstream(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(n) && !UPSTREAM_ONLY.contains(n) && !n.startsWith("anthropic-ratelimit-") && !n.equals("request-id")
                && !n.equals("anthropic-organization-id") && !n.startsWith("x-sluice-")
                // The same facts on OpenAI's and Azure's wire: the gateway's organization, project and limits.
                && !n.startsWith("x-ratelimit-") && !n.equals("openai-organization") && !n.equals("openai-project");
    }
}
