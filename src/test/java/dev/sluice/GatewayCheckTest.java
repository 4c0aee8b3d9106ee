package dev.sluice;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code sluice config check} and a reload refuse beyond the file's own validation: what the parts cannot use. */
class GatewayCheckTest {
    private static final ConfigLoader LOADER = new ConfigLoader(Map.of());

    @Test
    void anUnknownProviderIsRefusedNamingTheProvidersThereAre() {
        assertThatThrownBy(() -> Gateway.check(LOADER.parse("x.yaml", """
                upstreams: [{name: a, base-url: "http://127.0.0.1:1", provider: carrier-pigeon}]
                """))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreams[0].provider: 'carrier-pigeon'").hasMessageContaining("anthropic").hasMessageContaining("bedrock");
    }

    @Test
    void aPricesFileThatIsMissingIsRefused() {
        assertThatThrownBy(() -> Gateway.check(LOADER.parse("x.yaml", """
                metering: {prices: /nonexistent/prices.yaml}
                """))).isInstanceOf(ConfigException.class).hasMessageContaining("prices");
    }

    @Test
    void theDefaultsPass() {
        assertThatCode(() -> Gateway.check(LOADER.parse("x.yaml", ""))).doesNotThrowAnyException();
    }
}
