package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice config check} names a misplaced provider field in one error, the same every time: the fields the
 * provider takes in the order its adapter lists them. Attack round 35: a Bedrock upstream with a {@code headers:} key
 * was reported twice with the allowed-field list in two orders (a {@code Set.of} iterates in an order that changes from
 * one process to the next, so the gateway's refused reload and the check named it differently).
 */
class ConfigCheckOneErrorTest {
    @TempDir
    Path dir;

    private String check(String upstream) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, "upstreams:\n  - " + upstream + "\n");
        CliRun r = CliRun.of("config", "check", "-c", file.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        return r.err();
    }

    @Test
    void aBedrockUpstreamWithHeadersIsOneErrorListingTheFieldsInOrder() throws Exception {
        String err = check("{name: br, provider: bedrock, base-url: \"http://127.0.0.1:9\", region: us-east-1, auth: sigv4,"
                + " keys: [{alias: iam, value: \"AKIAEXAMPLE:secret\"}], headers: {x-team: a}}");
        assertThat(err).contains("upstreams[0].headers: '{x-team=a}' (expected: no headers for provider bedrock"
                + " (it takes [region, inference-profile, auth, models])) [upstream 'br', provider bedrock]");
        assertThat(err.split("no headers for provider", -1)).as(err).hasSize(2);
    }

    @Test
    void everyAdaptersListIsInItsOwnOrder() throws Exception {
        assertThat(check("{name: vx, provider: vertex, base-url: \"http://127.0.0.1:9\", project: p, region: us-east5,"
                + " keys: [{alias: t, value: tok}], headers: {x-team: a}}"))
                .contains("(it takes [region, project, credentials-file, models])");
        assertThat(check("{name: oai, provider: openai, base-url: \"http://127.0.0.1:9\", keys: [{alias: o, value: sk-o}],"
                + " region: us-east-1}")).contains("(it takes [models, headers, reasoning])");
        assertThat(check("{name: br, provider: bedrock, region: us-east-1, keys: [{alias: k, value: abc}],"
                + " inference-profile: mars}")).contains("one of [us, eu, apac, global, us-gov, jp, au, ca]");
    }
}
