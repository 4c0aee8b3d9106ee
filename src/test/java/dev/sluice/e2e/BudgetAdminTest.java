package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.cli.SluiceCommand;
import dev.sluice.config.ConfigException;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import dev.sluice.testing.RedisServer;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.trace.AuditChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Budgets managed while the gateway runs: set, listed, checked and removed through the admin API and the CLI (every
 * change validated, warnings for a child larger than its parent, recorded in the audit log with who made it), and
 * budgets changed by a configuration reload (counters survive; a new budget counts the period's spend so far).
 */
class BudgetAdminTest {
    private static final String ADMIN = "sk-admin-budgets-1";
    private static final String MODEL = "claude-opus-4-20250514";

    @TempDir
    Path data;
    private SimServer sim;
    private Gateway gateway;

    @BeforeEach
    void start() {
        sim = SluiceHarness.startSim();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop().await();
        }
        sim.close().await();
    }

    private String yaml(String budgets) {
        return """
                server: {port: 0, event-loops: 1}
                admin: {keys: [{value: %s, role: write, name: ops-ana}]}
                upstreams: [{name: sim, base-url: "${SIM_URL}", keys: [{alias: k1, value: sk-sim-1}]}]
                store: {data-dir: "%s"}
                budgets:
                %s
                """.formatted(ADMIN, data, budgets.indent(2));
    }

    private void startGateway(String budgets) {
        gateway = Gateway.start(SluiceHarness.config(yaml(budgets), sim.baseUrl()), null, SluiceHarness.loader(sim.baseUrl())).await();
    }

    @Test
    void budgetsSetThroughTheAdminApiAreValidatedEnforcedAuditedAndRemoved() throws Exception {
        startGateway("list: [{name: acme, level: org, id: acme, usd: 100, period: monthly}]");
        String key = developer();

        HttpResponse<String> bad = admin("PUT", "/admin/budgets/pay", "{\"level\":\"planet\",\"id\":\"payments\",\"usd\":-1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad.body()).at("/error/message").asText())
                .contains("level: 'planet' (expected one of: org, team, user, key, tag)").contains("usd: -1 (expected: > 0");
        HttpResponse<String> wrongName = admin("PUT", "/admin/budgets/pay", "{\"name\":\"other\",\"level\":\"team\",\"id\":\"payments\",\"usd\":1}");
        assertThat(wrongName.statusCode()).isEqualTo(400);

        JsonNode set = ok(admin("PUT", "/admin/budgets/pay", """
                {"level": "team", "id": "payments", "usd": 0.01, "period": "monthly",
                 "thresholds": [{"at": 50, "action": "alert"}, {"at": 100, "action": "block"}], "owner": {"contact": "#payments-eng"}}"""));
        assertThat(set.path("created").asBoolean()).isTrue();
        JsonNode child = ok(admin("PUT", "/admin/budgets/ana-big", "{\"level\":\"user\",\"id\":\"ana\",\"usd\":500}"));
        assertThat(child.path("warnings").toString()).contains("ana-big").contains("than its parent 'pay'");

        JsonNode list = ok(admin("GET", "/admin/budgets", null));
        assertThat(list.path("budgets").findValuesAsText("name")).contains("acme", "pay", "ana-big");
        assertThat(list.toString()).contains("\"source\":\"admin\"").contains("\"updated_by\":\"ops-ana\"").contains("\"source\":\"config\"");

        // The team budget is enforced on the next requests: a shared budget, so Claude Code is told group_pool.
        HttpResponse<String> r = message(key);
        int served = 0;
        while (r.statusCode() == 200 && served < 20) {
            served++;
            r = message(key);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.body()).contains("billing_error").contains("spend limit reached for team payments (monthly $0.01)")
                .contains("ask #payments-eng for an increase");
        assertThat(r.headers().firstValue("anthropic-ratelimit-unified-overage-scope")).hasValue("group_pool");

        JsonNode status = ok(admin("GET", "/admin/budgets/status?user=ana", null));
        assertThat(status.path("who").path("user").asText()).isEqualTo("ana");
        assertThat(status.path("who").has("key")).as("no key was asked about").isFalse();
        assertThat(status.path("who").toString()).doesNotContain("Identity[");
        JsonNode pay = status.path("standings").findParents("budget").stream().filter(n -> n.path("budget").asText().equals("pay"))
                .findFirst().orElseThrow();
        assertThat(pay.path("blocked").asBoolean()).isTrue();
        assertThat(pay.path("spent").asDouble()).isGreaterThanOrEqualTo(0.01);
        assertThat(pay.path("forecast").path("period_end").asDouble()).isGreaterThanOrEqualTo(pay.path("spent").asDouble());

        assertThat(admin("DELETE", "/admin/budgets/acme", null).statusCode()).isEqualTo(409);
        ok(admin("DELETE", "/admin/budgets/pay", null));
        assertThat(message(key).statusCode()).as("without the team budget the developer works again").isEqualTo(200);

        Path audit = data.resolve("audit.jsonl");
        gateway.stop().await();
        gateway = null;
        List<String> all = Files.readAllLines(audit).stream().filter(l -> l.contains("\"kind\":\"admin_change\"")).toList();
        List<String> changes = all.stream().filter(l -> l.contains("\"action\":\"budget.")).toList();
        assertThat(changes).hasSize(3);
        assertThat(changes.get(0)).contains("\"who\":\"ops-ana\"", "\"action\":\"budget.set\"", "\"object\":\"pay\"", "payments");
        assertThat(changes.get(2)).contains("\"action\":\"budget.delete\"", "\"object\":\"pay\"");
        // The admin API adds a line only for the refused attempts (two bad PUTs, the DELETE of a configured budget):
        // a budget change that was made is recorded once, by the budgets.
        List<String> budgetCalls = all.stream().filter(l -> l.contains("/admin/budgets/{name}")).toList();
        assertThat(budgetCalls).hasSize(3).allSatisfy(l -> assertThat(l).contains("\"detail\":\"refused: "));
        assertThat(AuditChain.verify(audit).ok()).isTrue();
    }

    @Test
    void theCliSetsListsAndShowsBudgets() throws Exception {
        startGateway("list: []");
        developer();
        String url = gateway.baseUrl();
        assertThat(cli("budgets", "set", "pay", "--level", "team", "--id", "payments", "--usd", "25", "--period", "weekly",
                "--threshold", "80:alert", "--threshold", "100:block", "--contact", "#pay", "--url", url, "--admin-key", ADMIN))
                .contains("\"created\":true");
        String list = cli("budgets", "list", "--url", url, "--admin-key", ADMIN);
        assertThat(list).contains("pay").contains("team payments").contains("25.0 usd").contains("weekly").contains("80% alert")
                .contains("admin (ops-ana)");
        assertThat(cli("budgets", "status", "--user", "ana", "--url", url, "--admin-key", ADMIN)).contains("pay").contains("team payments");
        String refused = cli("budgets", "set", "bad", "--level", "team", "--id", "payments", "--usd", "5", "--period", "fortnightly",
                "--url", url, "--admin-key", ADMIN);
        assertThat(refused).contains("period: 'fortnightly' (expected: daily, weekly, monthly, or rolling");
    }

    @Test
    void aReloadKeepsCountersAndANewBudgetCountsThePeriodSoFar() throws Exception {
        startGateway("list: [{name: dev, level: key, id: \"*\", usd: 1.0, period: monthly}]");
        String key = developer();
        for (int i = 0; i < 3; i++) {
            assertThat(message(key).statusCode()).isEqualTo(200);
        }
        Thread.sleep(500); // the ledger's batches linger 200 ms; the new budget below is seeded from it

        // Same budget, smaller amount: its counter kept the spend, so the developer is now over it.
        apply("list: [{name: dev, level: key, id: \"*\", usd: 0.005, period: monthly}]");
        HttpResponse<String> r = message(key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.body()).contains("spend limit reached for this key (monthly $0.005)");

        // A budget that did not exist is seeded from the ledger before it decides: the very next request is refused.
        apply("list: [{name: dev, level: key, id: \"*\", usd: 1.0, period: monthly}, {name: daily-dev, level: key, id: \"*\", usd: 0.004, period: daily}]");
        r = message(key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.body()).contains("spend limit reached for this key (daily $0.004)");

        // A budget file that does not validate is refused; the running budgets stay.
        Assertions.assertThatThrownBy(() -> apply("list: [{name: dev, level: key, id: \"*\", usd: 1.0, period: hourly}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("budgets.list[0] (dev).period: 'hourly'");
        assertThat(message(key).statusCode()).isEqualTo(429);
    }

    /**
     * A budget set through the admin API below what the developer already spent this period: the very next request is
     * refused and the status shows the spend (both wait for the new budget's seed from the ledger; before, the first
     * requests were admitted against counters that started from zero).
     */
    @Test
    void aBudgetSetBelowTheSpendSoFarRefusesTheVeryNextRequest() throws Exception {
        startGateway("list: []");
        String key = developer();
        for (int i = 0; i < 3; i++) {
            assertThat(message(key).statusCode()).isEqualTo(200);
        }
        ok(admin("PUT", "/admin/budgets/ana-day", "{\"level\":\"user\",\"id\":\"ana\",\"usd\":0.004,\"period\":\"daily\"}"));
        HttpResponse<String> r = message(key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.body()).contains("billing_error").contains("(daily $0.004)");
        assertThat(spent("ana-day")).isGreaterThan(0.004);
    }

    /**
     * A tag's standing asked about without an org is read in the only org there is (round 23): it was read in none, and
     * said $0 spent of a tag budget that was refusing requests. With several orgs the caller is asked which.
     */
    @Test
    void aTagsStatusShowsItsSpendWithoutNamingTheOrg() throws Exception {
        startGateway("list: [{name: feat, level: tag, id: \"feature=*\", usd: 10, period: daily}]");
        String key = developer();
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages")).header("x-api-key", key)
                .header("anthropic-version", "2023-06-01").header("x-sim-output-tokens", "40").header("x-sluice-tag-feature", "checkout")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"max_tokens\":40,\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"hi\"}]}")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode status = ok(admin("GET", "/admin/budgets/status?tag=feature%3Dcheckout", null));
        assertThat(status.path("who").path("org").asText()).isEqualTo("acme");
        assertThat(status.path("standings").get(0).path("spent").asDouble()).isGreaterThan(0);
        ok(admin("POST", "/admin/orgs", "{\"id\":\"globex\"}"));
        HttpResponse<String> which = admin("GET", "/admin/budgets/status?tag=feature%3Dcheckout", null);
        assertThat(which.statusCode()).isEqualTo(400);
        assertThat(which.body()).contains("add org=ID").contains("acme").contains("globex");
    }

    /** With counters in Redis the standings arrive later than the admin worker asks: the status waits, it does not 500. */
    @Test
    void theStatusReadsCountersKeptInRedis() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            startGateway("counters: {store: redis, redis-url: \"" + redis.url() + "\", leases: {enabled: false}}\n"
                    + "list: [{name: dev, level: user, id: \"*\", usd: 10.0, period: monthly}]");
            String key = developer();
            assertThat(message(key).statusCode()).isEqualTo(200);
            HttpResponse<String> r = admin("GET", "/admin/budgets/status?user=ana", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(spent("dev")).isGreaterThan(0);
            gateway.stop().await();
            gateway = null;
        }
    }

    /**
     * A budget added by a reload is seeded from the ledger up to the moment it took over. Records of the last
     * requests can still be in the ledger's journal then (its batches linger): the seed waits for them, or the new
     * budget would never count them.
     */
    @Test
    void aBudgetAddedRightAfterRequestsCountsThemAll() throws Exception {
        startGateway("list: [{name: dev, level: user, id: \"*\", usd: 10.0, period: monthly}]");
        String key = developer();
        for (int i = 0; i < 3; i++) {
            assertThat(message(key).statusCode()).isEqualTo(200);
        }
        apply("list: [{name: dev, level: user, id: \"*\", usd: 10.0, period: monthly},"
                + " {name: daily-dev, level: user, id: \"*\", usd: 10.0, period: daily}]");
        double dev = spent("dev");
        assertThat(dev).isGreaterThan(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (spent("daily-dev") < dev && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(spent("daily-dev")).isEqualTo(dev);
    }

    private double spent(String budget) throws Exception {
        JsonNode status = ok(admin("GET", "/admin/budgets/status?user=ana", null));
        return status.path("standings").findParents("budget").stream().filter(n -> n.path("budget").asText().equals(budget))
                .findFirst().map(n -> n.path("spent").asDouble()).orElse(-1.0);
    }

    private void apply(String budgets) {
        gateway.live().apply(yaml(budgets), "test.yaml", "test", "reload");
    }

    /** Org acme, team payments, user ana, and a key of hers; returns the key. */
    private String developer() throws Exception {
        ok(admin("POST", "/admin/orgs", "{\"id\":\"acme\"}"));
        ok(admin("POST", "/admin/teams", "{\"id\":\"payments\",\"org_id\":\"acme\"}"));
        ok(admin("POST", "/admin/users", "{\"id\":\"ana\",\"team_id\":\"payments\"}"));
        return ok(admin("POST", "/admin/keys", "{\"user_id\":\"ana\",\"alias\":\"laptop\"}")).get("key").asText();
    }

    private HttpResponse<String> message(String key) {
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages")).header("x-api-key", key)
                .header("anthropic-version", "2023-06-01").header("x-sim-output-tokens", "40")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).header("authorization", "Bearer " + ADMIN)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return Http.json(r.body());
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = SluiceCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        cl.execute(args);
        return out.toString();
    }
}
