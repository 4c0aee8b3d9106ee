package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** What crosses the gateway: transport and credential headers stay, so do headers a Connection field nominates. */
class UpstreamHeadersTest {
    @Test
    void aClientsHeadersLoseTransportCredentialsControlsAndWhatItsConnectionFieldsNominate() {
        MultiMap client = MultiMap.caseInsensitiveMultiMap()
                .add("Host", "gw").add("Content-Length", "12").add("x-api-key", "secret").add("Authorization", "Bearer s")
                .add("Connection", "keep-alive, X-Hop-One").add("connection", " x-hop-two ,,")
                .add("X-Hop-One", "1").add("x-HOP-two", "2").add("x-sluice-tag-team", "a")
                .add("anthropic-version", "2023-06-01").add("anthropic-beta", "a").add("anthropic-beta", "b").add("User-Agent", "cli");
        MultiMap out = UpstreamHeaders.fromClient(client);
        assertThat(out.names()).containsExactlyInAnyOrder("anthropic-version", "anthropic-beta", "User-Agent");
        assertThat(out.getAll("anthropic-beta")).containsExactly("a", "b");
    }

    @Test
    void anUpstreamsHeadersLoseTransportAccountFactsAndWhatItsConnectionFieldNominates() {
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json").add("Transfer-Encoding", "chunked").add("Connection", "Anthropic-Internal")
                .add("anthropic-internal", "1").add("request-id", "req_1").add("anthropic-ratelimit-requests-limit", "50")
                .add("Server", "x").add("retry-after", "3").add("anthropic-custom", "kept");
        assertThat(UpstreamHeaders.forClient(upstream).names()).containsExactlyInAnyOrder("retry-after", "anthropic-custom");
        assertThat(UpstreamHeaders.forClient(MultiMap.caseInsensitiveMultiMap().add("anthropic-custom", "kept")).names())
                .containsExactly("anthropic-custom");
    }

    /** Attack round 11's {@code hop} answer: only what a client protocol defines is left. */
    @Test
    void anUpstreamsInfrastructureAndCodingAreNotRelayed() {
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap()
                .add("location", "http://10.0.0.5/internal").add("content-location", "http://10.0.0.5/x")
                .add("x-backend-server", "ip-10-0-0-5.internal").add("x-envoy-upstream-service-time", "3").add("cf-ray", "1")
                .add("x-amzn-requestid", "2").add("www-authenticate", "Bearer realm=upstream").add("content-encoding", "br")
                .add("anthropic-beta-used", "x").add("x-should-retry", "false");
        assertThat(UpstreamHeaders.forClient(upstream).names()).containsExactlyInAnyOrder("anthropic-beta-used", "x-should-retry");
    }

    @Test
    void aRetryHintIsRelayedInWholeSecondsAndNoLongerThanTheGatewayRestsAKey() {
        assertThat(retryAfter("retry-after", "1000000000")).containsExactly("retry-after", "600");
        assertThat(retryAfter("retry-after", "1.2")).containsExactly("retry-after", "2");
        assertThat(retryAfter("retry-after", "Fri, 31 Dec 2100 23:59:59 GMT")).containsExactly("retry-after", "600");
        assertThat(retryAfter("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")).containsExactly("retry-after", "0");
        for (String unreadable : new String[] {"-5", "NaN", "Infinity", "-Infinity", "soon", ""}) {
            assertThat(retryAfter("retry-after", unreadable)).as(unreadable).isEmpty();
        }
        assertThat(retryAfter("retry-after-ms", "1e15", "retry-after", "1000000000"))
                .containsExactly("retry-after", "600", "retry-after-ms", "600000");
        assertThat(retryAfter("retry-after-ms", "1500")).containsExactly("retry-after-ms", "1500");
        // The gateway reads retry-after when retry-after-ms is unreadable; the client gets that reading in both.
        assertThat(retryAfter("retry-after-ms", "NaN", "retry-after", "3")).containsExactly("retry-after", "3", "retry-after-ms", "3000");
    }

    /** The retry headers the client gets for the upstream's, as name, value, ... in that order. */
    private static java.util.List<String> retryAfter(String... pairs) {
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            upstream.add(pairs[i], pairs[i + 1]);
        }
        MultiMap out = UpstreamHeaders.forClient(upstream);
        java.util.List<String> got = new java.util.ArrayList<>();
        for (String name : new String[] {"retry-after", "retry-after-ms"}) {
            for (String v : out.getAll(name)) {
                got.add(name);
                got.add(v);
            }
        }
        return got;
    }
}
