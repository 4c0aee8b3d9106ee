package dev.sluice.admin;

import dev.sluice.authenticate.CredentialGuesses;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.admin.AdminHarness.Answer;
import dev.sluice.config.AdminConfig;
import dev.sluice.config.AdminConfig.AdminKey;
import dev.sluice.record.JournaledLedger;
import dev.sluice.record.LedgerRecord;
import dev.sluice.record.LedgerSettings;
import dev.sluice.wire.Usage;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API over real HTTP against SQLite: credentials and roles, the key lifecycle, spend reports, errors. */
class AdminApiTest {
    private static final String WRITER = "admin-write-secret";
    private static final String READER = "admin-read-secret";

    @TempDir
    static Path dir;
    private static Database db;
    private static AdminHarness admin;

    @BeforeAll
    static void start() {
        db = Database.open(StoreSettings.sqlite(dir));
        admin = new AdminHarness(db, new AdminConfig(List.of(new AdminKey(WRITER, "write"), new AdminKey(READER, "read"))));
        Instant t = Instant.now().minus(Duration.ofHours(1));
        try (JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            ledger.append(spent("r1", "platform", "claude-sonnet-4-5", Map.of("repo", "api"), 1_500_000_000L, t));
            ledger.append(spent("r2", "platform", "claude-opus-4-6", Map.of(), 250_000_000L, t));
            ledger.append(spent("r3", "web", "claude-sonnet-4-5", Map.of("repo", "=cmd"), 10L, t));
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(30))).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        db.close();
    }

    @Test
    void offWithoutAdminCredentials() {
        try (AdminHarness off = new AdminHarness(db, new AdminConfig(List.of()))) {
            Answer a = off.call("GET", "/admin/orgs", WRITER, null);
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.errorType()).isEqualTo("not_found_error");
        }
    }

    @Test
    void wrongCredentialsAreThrottledPerAddressBeforeTheKeyIsCompared() {
        // A harness of its own: the class's shared one would carry other tests' wrong keys, or pass these on.
        try (AdminHarness own = new AdminHarness(db, new AdminConfig(List.of(new AdminKey(READER, "read"))))) {
            for (int i = 0; i < CredentialGuesses.BURST; i++) {
                assertThat(own.call("GET", "/admin/orgs", "guess-" + i, null).status()).isEqualTo(401);
            }
            Answer throttled = own.call("GET", "/admin/orgs", "guess-next", null);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.errorType()).isEqualTo("rate_limit_error");
            assertThat(throttled.header("retry-after")).isEqualTo(Long.toString(60 / CredentialGuesses.PER_MINUTE));
            // The right key from that address is refused the same way: a different answer would tell a guesser they had it.
            assertThat(own.call("GET", "/admin/orgs", READER, null).status()).isEqualTo(429);
            // Another address is not held back by this one's guesses.
            assertThat(own.callFrom("127.0.0.2", "GET", "/admin/orgs", READER).status()).isEqualTo(200);
            assertThat(own.callFrom("127.0.0.2", "GET", "/admin/orgs", "guess-elsewhere").status()).isEqualTo(401);
        }
    }

    @Test
    void rightCredentialsCostNoGuesses() {
        try (AdminHarness own = new AdminHarness(db, new AdminConfig(List.of(new AdminKey(READER, "read"))))) {
            for (int i = 0; i < CredentialGuesses.BURST * 2; i++) {
                assertThat(own.call("GET", "/admin/orgs", READER, null).status()).isEqualTo(200);
            }
            assertThat(own.call("GET", "/admin/orgs", "guess", null).status()).isEqualTo(401);
        }
    }

    @Test
    void credentialsAndRoles() throws Exception {
        Answer none = admin.call("GET", "/admin/orgs", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("x-should-retry")).isEqualTo("false");
        assertThat(none.json().path("type").asText()).isEqualTo("error");
        assertThat(none.errorType()).isEqualTo("authentication_error");
        assertThat(admin.call("GET", "/admin/nowhere", "wrong", null).message()).isEqualTo("invalid admin credential");

        HttpResponse<String> viaApiKey = admin.client().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.port() + "/admin/orgs")).header("x-api-key", READER).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viaApiKey.statusCode()).isEqualTo(200);
        assertThat(viaApiKey.headers().firstValue("request-id")).isPresent();

        Answer readOnly = admin.call("POST", "/admin/orgs", READER, "{\"id\":\"nope\"}");
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.errorType()).isEqualTo("permission_error");
        assertThat(readOnly.message()).isEqualTo("this admin credential has role read; POST /admin/orgs needs role write");
        assertThat(admin.call("GET", "/admin/nowhere", READER, null).status()).isEqualTo(404);
        Answer wrongMethod = admin.call("PUT", "/admin/orgs", WRITER, "{}");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.message()).isEqualTo("PUT is not allowed on /admin/orgs (expected: GET, POST)");
    }

    @Test
    void keyLifecycle() {
        assertThat(post("/admin/orgs", "{\"id\":\"acme\",\"name\":\"Acme\"}").status()).isEqualTo(201);
        assertThat(post("/admin/teams", "{\"id\":\"platform\",\"org_id\":\"acme\"}").status()).isEqualTo(201);
        Answer user = post("/admin/users", "{\"id\":\"ana\",\"team_id\":\"platform\",\"monthly_cap_usd\":200}");
        assertThat(user.status()).isEqualTo(201);
        assertThat(user.json().path("monthly_cap_usd").decimalValue()).isEqualByComparingTo("200");

        Answer created = post("/admin/keys", "{\"user_id\":\"ana\",\"alias\":\"ana-laptop\",\"tags\":{\"repo\":\"api\"},"
                + "\"monthly_cap_usd\":\"50\",\"expires\":\"90d\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("key").asText();
        String id = created.json().path("id").asText();
        assertThat(secret).startsWith("sk-sluice-");
        assertThat(created.json().path("warning").asText()).contains("cannot show it again");
        assertThat(created.json().path("status").asText()).isEqualTo("active");
        assertThat(admin.registry.resolve(secret).keyAlias()).as("in force when the call returns").isEqualTo("ana-laptop");
        assertThat(admin.registry.caps(id).keyUsd()).isEqualByComparingTo("50");

        Answer listed = admin.call("GET", "/admin/keys?user=ana", READER, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.raw().body()).doesNotContain(secret).doesNotContain(secret.substring(16));
        assertThat(listed.json().path("data").get(0).path("prefix").asText()).isEqualTo(secret.substring(0, 16) + "…");

        Answer rotated = post("/admin/keys/" + id + "/rotate", "{\"grace\":\"1h\"}");
        assertThat(rotated.status()).isEqualTo(200);
        String next = rotated.json().path("key").asText();
        assertThat(rotated.json().path("secrets")).hasSize(2);
        assertThat(admin.registry.resolve(secret)).as("old works during grace").isNotNull();
        assertThat(admin.registry.resolve(next).keyId()).isEqualTo(id);

        Answer patched = admin.call("PATCH", "/admin/keys/" + id, WRITER, "{\"monthly_cap_usd\":null,\"tags\":{\"repo\":\"web\"}}");
        assertThat(patched.json().path("monthly_cap_usd").isNull()).isTrue();
        assertThat(admin.registry.resolve(next).tags()).containsEntry("repo", "web");

        Answer revoked = post("/admin/keys/" + id + "/revoke", null);
        assertThat(revoked.json().path("status").asText()).isEqualTo("revoked");
        assertThat(admin.registry.resolve(next)).isNull();
        assertThat(admin.registry.resolve(secret)).isNull();
    }

    @Test
    void badInputGetsAClearEnvelope() {
        post("/admin/orgs", "{\"id\":\"errs\"}");
        Answer dup = post("/admin/orgs", "{\"id\":\"errs\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.message()).isEqualTo("org \"errs\" already exists");
        expect(post("/admin/teams", "{\"id\":\"t\",\"org_id\":\"ghost\"}"), 404, "not_found_error", "org \"ghost\" not found");
        expect(post("/admin/orgs", "{\"id\":"), 400, "invalid_request_error", "body: not valid JSON");
        expect(post("/admin/orgs", "[1]"), 400, "invalid_request_error", "body: array (expected: a JSON object)");
        expect(post("/admin/orgs", "{\"id\":\"x\",\"nmae\":\"X\"}"), 400, "invalid_request_error",
                "body: unknown field nmae (expected: id, name)");
        expect(post("/admin/orgs", "{\"name\":\"X\"}"), 400, "invalid_request_error", "field id: missing");
        // "last wins" would let {"id":"eve",...,"id":"mallory"} create mallory after a reviewer read eve
        expect(post("/admin/users", "{\"id\":\"eve\",\"team_id\":\"t\",\"id\":\"mallory\"}"), 400, "invalid_request_error",
                "body: Duplicate field 'id' (expected: each field once)");
        expect(post("/admin/keys", "{\"user_id\":\"ghost\"}"), 404, "not_found_error", "user \"ghost\" not found");
        expect(post("/admin/keys", "{\"user_id\":\"x\",\"expires\":\"soon\"}"), 400, "invalid_request_error",
                "field expires: 'soon' (expected: a duration");
        expect(post("/admin/users", "{\"id\":\"u\",\"team_id\":\"t\",\"monthly_cap_usd\":-5}"), 400,
                "invalid_request_error", "field monthly_cap_usd: monthly cap: -5");
        expect(post("/admin/users", "{\"id\":\"u\",\"team_id\":\"t\",\"tags\":{\"repo\":1}}"), 400,
                "invalid_request_error", "field tags.repo: 1 (expected: a string)");
        // attack round 27: a body labelled as text or a form was read as JSON all the same
        expect(typed("text/plain", "{\"id\":\"typed\"}"), 415, "invalid_request_error",
                "content-type: text/plain (expected: application/json)");
        expect(typed("application/x-www-form-urlencoded", "{\"id\":\"typed\"}"), 415, "invalid_request_error",
                "content-type: application/x-www-form-urlencoded (expected: application/json)");
        assertThat(typed("application/json; charset=utf-8", "{\"id\":\"typed\"}").status()).isEqualTo(201);
        expect(admin.call("GET", "/admin/keys/key_ghost", READER, null), 404, "not_found_error", "key \"key_ghost\" not found");
        expect(admin.call("GET", "/admin/teams?orgg=x", READER, null), 400, "invalid_request_error",
                "query parameter orgg: not known on GET /admin/teams (expected: org)");
    }

    @Test
    void spendAsJsonAndCsv() {
        Answer json = admin.call("GET", "/admin/spend?by=team,model&since=7d&where=team=platform", READER, null);
        assertThat(json.status()).as(json.raw().body()).isEqualTo(200);
        JsonNode data = json.json().path("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).path("group").path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(data.get(0).path("cost_usd").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(json.json().path("where").path("team").asText()).isEqualTo("platform");

        Answer csv = admin.call("GET", "/admin/spend.csv?by=tag:repo&since=2w", READER, null);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("content-type")).startsWith("text/csv");
        assertThat(csv.raw().body()).startsWith("tag:repo,requests,").contains("\napi,1,").contains("\n'=cmd,1,");

        expect(admin.call("GET", "/admin/spend?by=colour", READER, null), 400, "invalid_request_error",
                "dimension: \"colour\" (expected one of:");
        expect(admin.call("GET", "/admin/spend?since=yesterday", READER, null), 400, "invalid_request_error",
                "query parameter since: \"yesterday\" (expected: 30m");
        // attack round 27: these overflowed past the parser and were 500s
        expect(admin.call("GET", "/admin/spend?since=9000000000000h", READER, null), 400, "invalid_request_error",
                "query parameter since: \"9000000000000h\" (expected: 30m");
        expect(admin.call("GET", "/admin/spend?since=999999999999999w", READER, null), 400, "invalid_request_error",
                "query parameter since: \"999999999999999w\" (expected: 30m");
        // attack round 34: years Instant.parse takes and epoch milliseconds do not were 500s
        expect(admin.call("GET", "/admin/spend?since=%2B999999999-01-01T00:00:00Z", READER, null), 400, "invalid_request_error",
                "query parameter since: \"+999999999-01-01T00:00:00Z\" (expected: an instant within 100 years of now)");
        expect(admin.call("GET", "/admin/spend?since=-999999999-01-01T00:00:00Z", READER, null), 400, "invalid_request_error",
                "query parameter since: \"-999999999-01-01T00:00:00Z\" (expected: an instant within 100 years of now)");
        expect(admin.call("GET", "/admin/spend.csv?since=2026-01-01&until=%2B100000-01-01T00:00:00Z", READER, null), 400,
                "invalid_request_error", "query parameter until: \"+100000-01-01T00:00:00Z\"");
        expect(admin.call("GET", "/admin/spend?since=2026-11-30&until=2026-11-30", READER, null), 400, "invalid_request_error",
                "period: since 2026-11-30T00:00:00Z is not before until 2026-11-30T00:00:00Z");
        Answer offset = admin.call("GET", "/admin/spend?since=2026-11-30T19:00:00-05:00&until=2026-12-01T10:00:00%2B09:00", READER, null);
        assertThat(offset.status()).as(offset.raw().body()).isEqualTo(200);
        expect(admin.call("GET", "/admin/spend?where=team", READER, null), 400, "invalid_request_error",
                "query parameter where: \"team\" (expected: dimension=value");
        expect(admin.call("GET", "/admin/spend?group=team", READER, null), 400, "invalid_request_error",
                "query parameter group: not known");
    }

    /** A POST of an org with a declared content type. */
    private static Answer typed(String contentType, String body) {
        try {
            java.net.http.HttpResponse<String> r = admin.client().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + admin.port() + "/admin/orgs"))
                    .header("authorization", "Bearer " + WRITER).header("content-type", contentType)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r);
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Answer post(String path, String body) {
        return admin.call("POST", path, WRITER, body);
    }

    private static void expect(Answer a, int status, String type, String messageStart) {
        assertThat(a.status()).as(a.raw().body()).isEqualTo(status);
        assertThat(a.json().path("type").asText()).isEqualTo("error");
        assertThat(a.errorType()).isEqualTo(type);
        assertThat(a.message()).startsWith(messageStart);
    }

    private static LedgerRecord spent(String id, String team, String model, Map<String, String> tags, long cost, Instant t) {
        return new LedgerRecord(id, 0, t, "key-" + team, "alias", "user-1", team, "org-1", tags, null, null,
                "/v1/messages", model, model, "anthropic", null, 200, null, new Usage(100, 50, 0, 0, 0, 0, 0, 0), false,
                cost, 0, 0, null, 10, 5, 1, false);
    }
}
