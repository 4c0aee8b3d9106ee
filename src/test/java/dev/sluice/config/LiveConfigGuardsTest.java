package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reload must never apply, whatever the file says: an empty file (an editor's truncation before it
 * writes, picked up by the file watch) and a change that would let callers in without a key. Both are refused
 * and the running version keeps serving.
 */
class LiveConfigGuardsTest {
    private static final String CLOSED = """
            auth: {keys: ["sk-gateway-key-123456"]}
            upstreams: [{name: u, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-up}]}]
            routes: [{match: "*", upstream: u}]
            """;

    @TempDir
    Path dir;

    private LiveConfig start(String text) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, text);
        ConfigLoader loader = new ConfigLoader(Map.of());
        return LiveConfig.start(loader.load(file), file, loader, List.of(), new ConfigVersions(dir.resolve("data")));
    }

    @Test
    void aSigninChangeOtherThanTheBillingGroupTagIsReportedAsNeedingARestart() throws Exception {
        Path file = dir.resolve("signin.yaml");
        ConfigLoader loader = new ConfigLoader(Map.of());
        Files.writeString(file, CLOSED + "signin: {billing-group-tag: project, models: {deny: [\"claude-opus-*\"]}}\n");
        SluiceConfig running = loader.load(file);
        Files.writeString(file, CLOSED + "signin: {billing-group-tag: cost-centre, models: {deny: [\"claude-opus-*\"]}}\n");
        assertThat(LiveConfig.restartNeeded(running, loader.load(file))).as("read per request").isEmpty();
        Files.writeString(file, CLOSED + "signin: {billing-group-tag: project, models: {deny: [\"claude-*\"]}}\n");
        assertThat(LiveConfig.restartNeeded(running, loader.load(file))).containsExactly("signin (all but billing-group-tag)");
    }

    @Test
    void anEmptyOrCommentOnlyFileIsRefused() throws Exception {
        LiveConfig live = start(CLOSED);
        int version = live.current().version();
        for (String text : List.of("", "   \n\n", "# being rewritten\n---\n")) {
            Files.writeString(live.file(), text);
            assertThatThrownBy(() -> live.reload("watch", "file watch")).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("the configuration is empty");
        }
        assertThat(live.current().version()).isEqualTo(version);
        assertThat(live.current().config().auth().keys()).containsExactly("sk-gateway-key-123456");
    }

    @Test
    void aReloadCannotOpenAGatewayThatAsksForKeys() throws Exception {
        LiveConfig live = start(CLOSED);
        Files.writeString(live.file(), CLOSED.replace("auth: {keys: [\"sk-gateway-key-123456\"]}", "auth: {keys: []}"));
        assertThatThrownBy(() -> live.reload("ops", "admin")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("without a key").hasMessageContaining("restart");
        Files.writeString(live.file(), CLOSED.replace("auth: {keys:", "auth: {open: true, keys:"));
        assertThatThrownBy(() -> live.reload("ops", "admin")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.open: true");
        assertThat(live.current().config().auth().open()).isFalse();
        // Changing the keys themselves is an ordinary reload.
        Files.writeString(live.file(), CLOSED.replace("sk-gateway-key-123456", "sk-gateway-key-654321"));
        live.reload("ops", "admin");
        assertThat(live.current().config().auth().keys()).containsExactly("sk-gateway-key-654321");
    }

    @Test
    void aReloadFromAFileCutShortCannotDropTheGuard() throws Exception {
        LiveConfig live = start(CLOSED + "guard: {enabled: true}\n");
        Files.writeString(live.file(), CLOSED);
        assertThatThrownBy(() -> live.reload("watch", "file watch")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("removes the section guard").hasMessageContaining("guard: {enabled: false}");
        assertThat(live.current().config().guard().enabled()).isTrue();
        // Said as meant, it is an ordinary reload.
        Files.writeString(live.file(), CLOSED + "guard: {enabled: false}\n");
        live.reload("ops", "admin");
        assertThat(live.current().config().guard().enabled()).isFalse();
    }

    @Test
    void aFileCutAfterAKeyOrASectionNameIsRefused() throws Exception {
        String whole = CLOSED + "guard:\n  enabled: true\n  rules: {secrets: true}\nbudgets:\n  list: []\n";
        LiveConfig live = start(whole);
        // Each parses: "enabled:" with no value reads as the guard off, "guard:" alone as the defaults (off).
        for (String cut : List.of(whole.substring(0, whole.indexOf("enabled:") + "enabled:".length()),
                whole.substring(0, whole.indexOf("enabled:") + "enabled:".length()) + "\n",
                CLOSED + "guard:\n", CLOSED + "guard:\nbudgets:\n  list: []\n")) {
            Files.writeString(live.file(), cut);
            assertThatThrownBy(() -> live.reload("watch", "file watch")).as(cut).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cut short");
        }
        assertThat(live.current().version()).isEqualTo(1);
        assertThat(live.current().config().guard().enabled()).isTrue();
        Files.writeString(live.file(), whole.replace("enabled: true", "enabled: false"));
        live.reload("ops", "admin");
        assertThat(live.current().config().guard().enabled()).isFalse();
        assertThat(LiveConfig.danglingKey("routes:\n  - {match: \"*\", upstream: u}\n# the end\n")).isNull();
    }

    @Test
    void anOpenGatewayMayGainKeysByReload() throws Exception {
        LiveConfig live = start(CLOSED.replace("auth: {keys: [\"sk-gateway-key-123456\"]}", "auth: {open: true}"));
        Files.writeString(live.file(), CLOSED);
        live.reload("ops", "admin");
        assertThat(live.current().config().auth().open()).isFalse();
        assertThat(LiveConfig.hasContent("server: {port: 0}\n")).isTrue();
    }

    @Test
    void theGatewaysOwnRuleSaysWhenItIsClosed() throws Exception {
        // No static key, but keys issued elsewhere (the gateway's rule, here a stand-in): closed, so it stays closed.
        String noStatic = CLOSED.replace("auth: {keys: [\"sk-gateway-key-123456\"]}\n", "");
        LiveConfig live = start(noStatic + "auth: {open: true}\n");
        live.opensWhen(s -> s.config().auth().open());
        int open = live.current().version();
        Files.writeString(live.file(), noStatic + "auth: {open: false}\n");
        live.reload("ops", "admin");
        Files.writeString(live.file(), noStatic + "auth: {open: true}\n");
        assertThatThrownBy(() -> live.reload("ops", "admin")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.open: true");
        assertThatThrownBy(() -> live.rollback(open, "ops")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("without a key");
        assertThat(live.current().config().auth().open()).isFalse();
    }
}
