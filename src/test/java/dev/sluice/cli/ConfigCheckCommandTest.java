package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice config check} refuses what a start or a reload refuses, and its summary covers what the file sets. */
class ConfigCheckCommandTest {
    private static final String BASE = """
            upstreams:
              - {name: anthropic, base-url: "http://127.0.0.1:9", keys: [{alias: team-a, value: sk-a}, {alias: team-b, value: sk-b}]}
              - {name: bedrock, provider: anthropic, base-url: "http://127.0.0.1:10", keys: [{alias: s1, value: sk-s}]}
            """;

    @TempDir
    Path dir;
    private String out;
    private String err;

    private int check(String yaml) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml);
        CliRun r = CliRun.of("config", "check", "-c", file.toString());
        out = r.out();
        err = r.err();
        return r.code();
    }

    @Test
    void aMissingCertificateFileIsRefusedAsAtStart() throws Exception {
        Path missing = dir.resolve("gw.crt");
        assertThat(check(BASE + "server: {tls: {cert-file: \"" + missing + "\", key-file: \"" + dir.resolve("gw.key") + "\"}}\n"))
                .isEqualTo(2);
        assertThat(err).contains("server.tls: cannot read " + missing).doesNotContain("Exception");
    }

    @Test
    void aFileEndingWithAKeyWithoutAValueIsRefusedAsAReloadWould() throws Exception {
        assertThat(check(BASE + "cache:\n  defaults:\n    mode:\n")).isEqualTo(2);
        assertThat(err).contains("ends with a key without a value (mode:)");
        assertThat(check(BASE + "guard:\n")).isEqualTo(2);
        assertThat(err).contains("ends with a key without a value (guard:)");
    }

    @Test
    void theSummaryNamesTargetsCacheBudgetsGuardAndTheAdminAddress() throws Exception {
        assertThat(check(BASE + """
                admin: {listen: "127.0.0.1:18090", keys: [{value: sk-admin-1234567890, role: write, name: ops}]}
                routes:
                  - match: "claude-*"
                    targets: [{upstream: anthropic, keys: [team-a, team-b]}, {upstream: bedrock}]
                cache: {defaults: {mode: on, scope: org, ttl: 1h}}
                guard: {enabled: true}
                """)).as(err).isZero();
        assertThat(out).doesNotContain("-> null").contains("route      claude-* -> anthropic [team-a, team-b], then bedrock")
                .contains("admin      on 127.0.0.1:18090").contains("cache      on").contains("budgets    none in the file")
                .contains("guard      on");
    }

    @Test
    void aSigninConfigurationIsNotCalledOpen() throws Exception {
        assertThat(check(BASE + """
                signin:
                  enabled: true
                  public-url: https://gw.corp.example:8443
                  oidc: {issuer: https://idp.corp.example/realms/corp, client-id: sluice, client-secret: s3cret}
                """)).as(err).isZero();
        assertThat(out).doesNotContain("open local mode").contains("auth       signed-in developers")
                .contains("signin     on, https://gw.corp.example:8443");
    }
}
