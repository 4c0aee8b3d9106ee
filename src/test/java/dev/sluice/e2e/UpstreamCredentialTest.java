package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the upstream refuses the gateway's own key, the developer must not be told that their key is
 * invalid (Claude Code would say "Invalid API key"): it is a 502 that names the gateway's side.
 */
class UpstreamCredentialTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys: [{alias: expired-org-key, value: sk-sim-revoked-1}]
            """);

    @Test
    void aRefusedUpstreamCredentialIsABadGatewayNotTheCallersFault() throws Exception {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false));
        assertThat(resp.statusCode()).isEqualTo(502);
        assertThat(resp.headers().firstValue("x-should-retry")).hasValue("false");
        var error = new ObjectMapper().readTree(resp.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("api_error");
        assertThat(error.at("/error/message").asText()).contains("not about your key").contains(error.at("/request_id").asText());
        assertThat(SLUICE.recorder().received()).hasSize(1);
    }
}
