package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderRulesTest {
    @Test
    void theUpstreamsInfrastructureHeadersStayWithTheUpstream() {
        for (String name : new String[] {"Server", "x-powered-by", "Set-Cookie", "via", "Strict-Transport-Security", "alt-svc",
                "anthropic-ratelimit-tokens-remaining", "request-id", "x-ratelimit-limit-requests", "openai-organization",
                "x-sluice-cost-usd", "transfer-encoding", "connection"}) {
            assertThat(HeaderRules.relayDownstream(name)).as(name).isFalse();
        }
    }

    /** Attack round 11: an allowlist, so what the upstream's proxies and CDN add (any name) stays with it. */
    @Test
    void headersNoClientProtocolDefinesStayWithTheUpstream() {
        for (String name : new String[] {"location", "Content-Location", "www-authenticate", "x-backend-server",
                "x-envoy-upstream-service-time", "cf-ray", "x-amzn-requestid", "x-request-id", "content-encoding", "cache-control",
                "anthropic-organization-id", "anthropic-priority-output-tokens-remaining", "x-anything-new"}) {
            assertThat(HeaderRules.relayDownstream(name)).as(name).isFalse();
        }
    }

    @Test
    void whatTheClientReadsIsRelayed() {
        for (String name : new String[] {"retry-after", "Retry-After-Ms", "x-should-retry", "content-type", "anthropic-beta",
                "anthropic-some-future-header"}) {
            assertThat(HeaderRules.relayDownstream(name)).as(name).isTrue();
        }
    }

    /** Names in any case, as Go and Java clients write them, decide as their lower-case form does. */
    @Test
    void aRequestHeaderIsForwardedOrNotWhateverItsCase() {
        for (String name : new String[] {"Connection", "KEEP-ALIVE", "Host", "Content-Length", "Expect", "X-Api-Key",
                "Authorization", "Accept-Encoding", "X-Sluice-Budget", "x-sluice-", "Transfer-Encoding", "TE"}) {
            assertThat(HeaderRules.forwardUpstream(name)).as(name).isFalse();
            assertThat(HeaderRules.forwardUpstream(name.toLowerCase(java.util.Locale.ROOT))).as(name).isFalse();
        }
        for (String name : new String[] {"Content-Type", "Anthropic-Version", "anthropic-beta", "User-Agent", "X-App",
                "x-claude-code-session-id", "X-Sluic", "Hosts", "x-api-keys", "accept"}) {
            assertThat(HeaderRules.forwardUpstream(name)).as(name).isTrue();
        }
        assertThat(HeaderRules.relayDownstream("Anthropic-RateLimit-Tokens-Limit")).isFalse();
        assertThat(HeaderRules.relayDownstream("ANTHROPIC-ORGANIZATION-ID")).isFalse();
        assertThat(HeaderRules.relayDownstream("Anthropic-Beta")).isTrue();
        assertThat(HeaderRules.relayDownstream("X-Should-Retry")).isTrue();
        assertThat(HeaderRules.relayDownstream("Content-Type")).isTrue();
    }
}
