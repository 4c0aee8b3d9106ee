package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice cache}: a running gateway's response cache, through its admin API ({@code --url},
 * {@code --admin-key}): {@code status}, {@code bust} a scope or one namespace, and {@code prefixes} (prompt
 * prefixes a 1-hour TTL would help, and near misses). Hit rates and savings: {@code sluice report --cache}.
 */
@Command(name = "cache", description = "The response cache of a running gateway.",
        subcommands = {CacheCommand.Status.class, CacheCommand.Bust.class, CacheCommand.Prefixes.class,
                CacheMissesCommand.class, CacheExportCommand.class, CacheAdviceCommand.class, CacheThresholdsCommand.class})
public final class CacheCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "status", description = "Counters and store occupancy of the gateway's response cache.")
    static final class Status implements Callable<Integer> {
        @Mixin
        AdminClient admin;

        @Override
        public Integer call() {
            return print(admin.call("GET", "/admin/cache"));
        }
    }

    @Command(name = "bust", description = "Make a scope's cached answers (or one namespace's) unreachable, on every replica.",
            footer = {"", "Examples:", "  sluice cache bust --org acme --scope org --namespace 3f2a9c1",
                    "  sluice cache bust --org acme --scope team:payments"})
    static final class Bust implements Callable<Integer> {
        @Mixin
        AdminClient admin;

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization id (- for callers without one).")
        String org;

        @Option(names = "--scope", defaultValue = "org", paramLabel = "SCOPE",
                description = "org, team:<id>, user:<id> or key:<id>, as the route's cache scope stores them (default: ${DEFAULT-VALUE}).")
        String scope;

        @Option(names = "--namespace", paramLabel = "NS", description = "Only this namespace (e.g. a git SHA); default: the whole scope.")
        String namespace;

        @Override
        public Integer call() {
            ObjectNode body = Json.MAPPER.createObjectNode().put("org", org).put("scope", scope);
            if (namespace != null) {
                body.put("namespace", namespace);
            }
            return print(admin.call("POST", "/admin/cache/bust", body.toString()));
        }
    }

    @Command(name = "prefixes", description = "Prompt prefixes: re-reads, where a 1-hour TTL pays, and near misses.")
    static final class Prefixes implements Callable<Integer> {
        @Mixin
        AdminClient admin;

        @Option(names = "--top", defaultValue = "20", paramLabel = "N", description = "How many of each (default: ${DEFAULT-VALUE}).")
        int top;

        @Override
        public Integer call() {
            return print(admin.call("GET", "/admin/cache/prefixes?top=" + URLEncoder.encode(Integer.toString(top), StandardCharsets.UTF_8)));
        }
    }

    static int print(AdminClient.Result r) {
        (r.ok() ? System.out : System.err).println(r.body());
        return r.ok() ? 0 : 1;
    }
}
