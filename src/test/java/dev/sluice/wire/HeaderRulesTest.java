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
}
