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
                .add("Content-Type", "application/json").add("Transfer-Encoding", "chunked").add("Connection", "X-Internal")
                .add("x-internal", "1").add("request-id", "req_1").add("anthropic-ratelimit-requests-limit", "50")
                .add("Server", "x").add("retry-after", "3").add("x-custom", "kept");
        assertThat(UpstreamHeaders.forClient(upstream).names()).containsExactlyInAnyOrder("retry-after", "x-custom");
        assertThat(UpstreamHeaders.forClient(MultiMap.caseInsensitiveMultiMap().add("x-custom", "kept")).names())
                .containsExactly("x-custom");
    }
}
