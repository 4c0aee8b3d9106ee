package dev.sluice.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The admin API of a running gateway, for commands that act on it ({@code reload}, {@code config
 * versions|rollback}): {@code --url} (default {@code $SLUICE_URL}) and {@code --admin-key} (default
 * {@code $SLUICE_ADMIN_KEY}).
 */
final class AdminClient {
    @Option(names = "--url", paramLabel = "URL", description = "The running gateway (default: $SLUICE_URL).")
    String url;

    @Option(names = "--admin-key", paramLabel = "KEY", description = "An admin key (default: $SLUICE_ADMIN_KEY).")
    String key;

    boolean configured() {
        return url() != null;
    }

    String url() {
        String u = url != null ? url : System.getenv("SLUICE_URL");
        return u == null || u.isBlank() ? null : u.replaceAll("/+$", "");
    }

    /** The response status and body; a failure to reach the gateway throws with a clear message. */
    Result call(String method, String path) {
        return call(method, path, null);
    }

    /** As {@link #call(String, String)} with a JSON body (null for none). */
    Result call(String method, String path, String json) {
        String base = url();
        if (base == null) {
            throw new CliException("no gateway to talk to: pass --url (or set SLUICE_URL)");
        }
        String k = key != null ? key : System.getenv("SLUICE_ADMIN_KEY");
        if (k == null || k.isBlank()) {
            throw new CliException("no admin key: pass --admin-key (or set SLUICE_ADMIN_KEY)");
        }
        HttpRequest req = HttpRequest.newBuilder(uri(base, path)).timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + k)
                .header("content-type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            String body = resp.body();
            if (resp.statusCode() == 404 && path.startsWith("/admin/") && body.contains("Not found: ")) {
                // The router's own 404, not an admin answer about a missing thing: the admin API is elsewhere.
                body += "\n(no admin API at " + base + ": is it on the gateway's admin.listen address? pass that as --url)";
            }
            return new Result(resp.statusCode(), body);
        } catch (IOException e) {
            throw new CliException("cannot reach " + base + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /**
     * The gateway's address and the path as one URI; a {@code --url} that is not an http(s) address with a host is the
     * operator's to fix, said as such (attack round 27: {@code --url localhost:8790} failed with "invalid URI scheme
     * localhost", exit 1, and a space with "Illegal character in authority at index 8").
     */
    static URI uri(String base, String path) {
        URI u;
        try {
            u = new URI(base + path);
        } catch (java.net.URISyntaxException e) {
            u = null;
        }
        if (u == null || u.getHost() == null || !("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))) {
            throw new CliException("--url " + base + ": not a gateway address (expected: http://HOST:PORT or https://HOST:PORT,"
                    + " for example http://127.0.0.1:8787)");
        }
        return u;
    }

    /** Why a connection failed, in words: the JDK's client leaves the message of a refused connection empty. */
    static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is the gateway running, and listening there?)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return "connection failed (" + e.getClass().getSimpleName() + ")";
    }

    record Result(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }
}
