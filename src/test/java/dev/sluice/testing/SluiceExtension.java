package dev.sluice.testing;

import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimRecorder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link SluiceHarness} once per test class and stops it after the last test. Register it
 * as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + "timeouts: ...");
 * }</pre>
 *
 * Test methods use {@link #gatewayUrl()}, {@link #simUrl()} and {@link #recorder()}, or take a
 * {@link SluiceHarness} parameter. The simulator's recorder is cleared before each test.
 */
public final class SluiceExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {
    private final String yaml;
    private final SimOptions simOptions;
    private SluiceHarness harness;

    private SluiceExtension(String yaml, SimOptions simOptions) {
        this.yaml = yaml;
        this.simOptions = simOptions;
    }

    public static SluiceExtension withConfig(String yaml) {
        return new SluiceExtension(yaml, SimOptions.defaults().withInstances(1));
    }

    public static SluiceExtension withConfig(String yaml, SimOptions simOptions) {
        return new SluiceExtension(yaml, simOptions);
    }

    /** The standard pair: {@link SluiceHarness#BASE_YAML}. */
    public static SluiceExtension standard() {
        return withConfig(SluiceHarness.BASE_YAML);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        harness = SluiceHarness.start(yaml, simOptions);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        harness.recorder().clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SluiceHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return harness();
    }

    public SluiceHarness harness() {
        if (harness == null) {
            throw new IllegalStateException("the gateway is not running (register the extension on a static field)");
        }
        return harness;
    }

    public String gatewayUrl() {
        return harness().gatewayUrl();
    }

    public int gatewayPort() {
        return harness().gatewayPort();
    }

    public String simUrl() {
        return harness().simUrl();
    }

    public SimRecorder recorder() {
        return harness().recorder();
    }
}
