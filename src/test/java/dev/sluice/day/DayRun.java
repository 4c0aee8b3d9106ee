package dev.sluice.day;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.cache.agent.StudyCli;
import dev.sluice.config.ConfigLoader;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.wire.Json;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the scenario once: every step with the real Claude Code CLI, through a real Sluice gateway with its
 * response cache on ({@link Via#SLUICE}) or straight at the agent upstream ({@link Via#DIRECT}), then checks
 * every answer against the oracle and prices what the upstream billed.
 */
final class DayRun {

    enum Via { SLUICE, DIRECT }

    private static final String ADMIN = "admin-team-day";
    private static final String UPSTREAM_KEY = "sk-sim-team";
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);

    private final Path root;
    private final Team.Layout layout;
    private final Via via;
    private final Path bin;
    private final Oracle oracle;
    private final Duration gap;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> log = new ArrayList<>();

    DayRun(Path root, Team.Layout layout, Via via, Path bin, Oracle oracle, Duration gap) {
        this.gap = gap;
        this.root = root;
        this.layout = layout;
        this.via = via;
        this.bin = bin;
        this.oracle = oracle;
    }

    List<String> log() {
        return log;
    }

    DayResult run() throws Exception {
        long started = System.nanoTime();
        Vertx vertx = Vertx.vertx();
        List<Scenario.Step> steps = Scenario.steps();
        steps = steps.subList(0, Math.min(steps.size(), Integer.getInteger("day.steps", steps.size())));
        ScenarioClock clock = new ScenarioClock(gap, steps);
        SimServer sim = SimServer.start(vertx, SimOptions.defaults().withScript(SimOptions.SCRIPT_AGENT).withInstances(1), clock)
                .await();
        Gateway gateway = null;
        try {
            DayRepo repo = DayRepo.create(root.resolve("origin"));
            Team team = new Team(root, layout);
            team.checkOut(repo.origin());
            Map<String, String> keys = new HashMap<>();
            int port;
            if (via == Via.SLUICE) {
                gateway = startGateway(sim.baseUrl(), root.resolve("gateway-data"));
                for (Team.Developer d : Team.DEVELOPERS) {
                    keys.put(d.name(), key(gateway, d.name()));
                }
                port = gateway.port();
            } else {
                Team.DEVELOPERS.forEach(d -> keys.put(d.name(), UPSTREAM_KEY));
                port = sim.port();
            }
            int cliRuns = 0;
            try (Tap tap = new Tap(port)) {
                for (int i = 0; i < steps.size(); i++) {
                    clock.at(i);
                    switch (steps.get(i)) {
                        case Scenario.Step.Commit c -> repo.commit(c.files(), c.message());
                        case Scenario.Step.Ask a -> {
                            ask(team, tap, i, a.developer(), keys, "-p", a.question(), "--session-id", session(i));
                            cliRuns++;
                        }
                        case Scenario.Step.FollowUp f -> {
                            ask(team, tap, i, f.developer(), keys, "-p", Scenario.SUMMARY, "--resume", session(f.resumes()));
                            cliRuns++;
                        }
                    }
                }
                return result(cliRuns, tap.seen(), sim.recorder().billed(), System.nanoTime() - started);
            }
        } finally {
            if (gateway != null) {
                gateway.stop().await();
            }
            vertx.close().await();
        }
    }

    private void ask(Team team, Tap tap, int step, String developer, Map<String, String> keys, String... args) throws Exception {
        Team.Developer d = Team.DEVELOPERS.stream().filter(x -> x.name().equals(developer)).findFirst().orElseThrow();
        team.pull(d);
        Team.Seat seat = team.sit(d);
        try {
            tap.at(step, developer);
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--allowedTools", "Read,Bash(grep:*)"));
            Map<String, String> env = Map.of("ANTHROPIC_BASE_URL", tap.url(), "ANTHROPIC_API_KEY", keys.get(developer),
                    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_AUTOUPDATER", "1");
            long t0 = System.nanoTime();
            ClaudeCli.Result r = StudyCli.run(bin, seat.checkout(), seat.home(), env, CLI_TIMEOUT, all.toArray(String[]::new));
            String line = "step " + step + " " + developer + " " + String.join(" ", args) + " -> exit " + r.exitCode() + " in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms: " + r.stdout().strip().replace('\n', ' ');
            log.add(line);
            System.out.println("[team-day " + layout + " " + via + "] " + line);
            if (r.exitCode() != 0) {
                throw new AssertionError("Claude Code failed at step " + step + ": " + r);
            }
        } finally {
            team.stand(d);
        }
    }

    private DayResult result(int cliRuns, List<Tap.Exchange> seen, List<BilledUsage> billed, long nanos) throws Exception {
        int served = 0;
        int hits = 0;
        int wrong = 0;
        int missesDisagreeing = 0;
        List<String> wrongDetails = new ArrayList<>();
        for (Tap.Exchange e : seen) {
            if (e.status() != 200) {
                continue;
            }
            served++;
            boolean hit = servedByGateway(e.cacheStatus());
            String expected = oracle.content(e);
            String got = AnswerContent.of(e.response());
            if (hit) {
                hits++;
            }
            if (!expected.equals(got)) {
                if (hit) {
                    wrong++;
                } else {
                    missesDisagreeing++;
                }
                wrongDetails.add("step " + e.step() + " " + e.developer() + " (" + e.cacheStatus() + ")\n  served:   "
                        + got.replace("\n", "\n            ") + "\n  expected: " + expected.replace("\n", "\n            "));
            }
        }
        return DayResult.of(layout, via, cliRuns, seen.size(), served, hits, wrong, missesDisagreeing, wrongDetails, seen, billed,
                Duration.ofNanos(nanos));
    }

    /** An exact or a semantic hit: the answer came from the gateway's cache, not the upstream. */
    static boolean servedByGateway(String cacheStatus) {
        return "hit".equals(cacheStatus) || "semantic".equals(cacheStatus);
    }

    private static String session(int step) {
        return UUID.nameUUIDFromBytes(("team-day-step-" + step).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Gateway startGateway(String upstream, Path data) throws Exception {
        Files.createDirectories(data);
        String yaml = """
                server: {port: 0, event-loops: 1}
                admin: {keys: [{value: %s, role: write}]}
                upstreams: [{name: agent, base-url: "%s", keys: [{alias: team, value: %s}]}]
                store: {data-dir: "%s"}
                cache: %s
                """.formatted(ADMIN, upstream, UPSTREAM_KEY, data, System.getProperty("day.cache", "{}")) + extraSections();
        return Gateway.start(new ConfigLoader(Map.of()).parse("team-day.yaml", yaml)).await();
    }

    /** More top-level sections of the gateway's configuration (guard, budgets, routing...) from {@code -Dday.extra-file}. */
    private static String extraSections() throws java.io.IOException {
        String file = System.getProperty("day.extra-file", "");
        return file.isEmpty() ? "" : Files.readString(Path.of(file));
    }

    private boolean orgMade;

    /** One organization and team; a user and a key per developer. */
    private String key(Gateway g, String user) throws Exception {
        if (!orgMade) {
            admin(g, "/admin/orgs", "{\"id\":\"acme\"}");
            admin(g, "/admin/teams", "{\"id\":\"calc\",\"org_id\":\"acme\"}");
            orgMade = true;
        }
        admin(g, "/admin/users", "{\"id\":\"" + user + "\",\"team_id\":\"calc\"}");
        return admin(g, "/admin/keys", "{\"user_id\":\"" + user + "\"}").get("key").asText();
    }

    private JsonNode admin(Gateway g, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + path))
                .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }
}
