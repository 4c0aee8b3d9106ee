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

    @Test
    void whatTheClientReadsIsRelayed() {
        for (String name : new String[] {"retry-after", "x-should-retry", "content-type", "anthropic-beta", "cf-ray"}) {
            assertThat(HeaderRules.relayDownstream(name)).as(name).isTrue();
        }
    }
}
