package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** Attack round 11: every upstream request asks for an uncoded answer, the gateway cannot read any other. */
class OutboundRequestTest {
    @Test
    void everyUpstreamRequestAsksForIdentity() {
        MultiMap operatorSaid = MultiMap.caseInsensitiveMultiMap().add("Accept-Encoding", "gzip").add("x-title", "t");
        OutboundRequest out = new OutboundRequest(HttpMethod.POST, "/v1/messages", operatorSaid, null);
        assertThat(out.headers().getAll("accept-encoding")).containsExactly("identity");
        assertThat(new OutboundRequest(HttpMethod.GET, "/v1/models", MultiMap.caseInsensitiveMultiMap(), null)
                .headers().get("accept-encoding")).isEqualTo("identity");
    }
}
