package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.Test;

/** Behind a TLS-terminating proxy a batch's results_url was http://, which the SDKs fetch as given. */
class ResultsBaseTest {
    private static final HostAndPort HOST = HostAndPort.authority("llm.example.com");

    @Test
    void theProxysSchemeIsTheResultsUrls() {
        assertThat(ResultsBase.of(null, "http", HOST, headers("x-forwarded-proto", "https"))).isEqualTo("https://llm.example.com");
        assertThat(ResultsBase.of(null, "http", HOST, headers("x-forwarded-proto", "https, http"))).isEqualTo("https://llm.example.com");
        assertThat(ResultsBase.of(null, "http", HOST, headers("forwarded", "for=10.0.0.1;proto=https;host=llm.example.com")))
                .isEqualTo("https://llm.example.com");
    }

    @Test
    void withoutAProxyTheRequestsOwnSchemeAndHost() {
        assertThat(ResultsBase.of(null, "http", HostAndPort.authority("127.0.0.1", 8787), MultiMap.caseInsensitiveMultiMap()))
                .isEqualTo("http://127.0.0.1:8787");
        assertThat(ResultsBase.of(null, "http", HOST, headers("x-forwarded-proto", "javascript"))).isEqualTo("http://llm.example.com");
    }

    @Test
    void theOperatorsPublicUrlWins() {
        assertThat(ResultsBase.of("https://gw.example.com/", "http", HOST, headers("x-forwarded-proto", "http")))
                .isEqualTo("https://gw.example.com");
    }

    private static MultiMap headers(String name, String value) {
        return MultiMap.caseInsensitiveMultiMap().add(name, value);
    }
}
