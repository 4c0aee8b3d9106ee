package dev.sluice.cache.stage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.CaptureCalls;
import dev.sluice.cache.Captures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt-cache statistics count what the provider caches: on a {@code normalise-upstream} route two developers'
 * first turns go upstream as one prompt (their homes, checkouts and billing-header suffixes swapped for the team's
 * stand-ins), so the provider re-reads it, and the re-read statistics must see the second turn as a re-read too.
 * Hashed before normalisation, as they were, each developer's prefixes were their own and nothing was re-read.
 */
class PrefixesAsForwardedTest {
    @TempDir
    static Path data;
    private static CacheGateway gw;

    @BeforeAll
    static void start() {
        gw = CacheGateway.start(data, "cache:\n  defaults: {mode: on, normalise-upstream: true}\n");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void twoDevelopersWhosePromptsNormaliseAlikeAreOnePrefixReadTwice() {
        String alice = gw.key("acme", "calc", "alice");
        String bob = gw.key("acme", "calc", "bob");
        for (String[] who : new String[][] {{"alice", alice, "246"}, {"bob", bob, "e18"}}) {
            String body = new String(Captures.body(who[0] + "-turn1"), UTF_8)
                    .replace("cc_version=2.1.330.771;", "cc_version=2.1.330." + who[2] + ";");
            HttpResponse<String> r = gw.post(who[1], body, "x-sluice-cache-refresh", "true", "anthropic-beta", CaptureCalls.BETAS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-sluice-upstream-normalised")).hasValue("normalised");
        }

        JsonNode prefixes = gw.admin("GET", "/admin/cache/prefixes?top=20", null).path("prefixes");
        List<Long> sightings = new ArrayList<>();
        prefixes.forEach(p -> sightings.add(p.path("sightings").asLong()));
        assertThat(sightings).as(prefixes.toString()).hasSizeGreaterThanOrEqualTo(2).allMatch(n -> n == 2);
    }
}
