package dev.sluice.signin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program in a real pseudo-terminal: tmux on its own socket, keys sent with {@code send-keys}, the
 * screen read with {@code capture-pane}. Fails (never skips) under CI when tmux is missing.
 */
final class Terminal implements AutoCloseable {
    private final String socket;

    private Terminal(String socket) {
        this.socket = socket;
    }

    /** Starts {@code command} (a shell line) in a 160×50 window. */
    static Terminal start(String command) throws IOException, InterruptedException {
        String socket = "sluice-signin-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Terminal t = new Terminal(socket);
        t.tmux("new-session", "-d", "-s", "main", "-x", "160", "-y", "50", command);
        return t;
    }

    String screen() {
        try {
            return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "main");
        } catch (IOException | InterruptedException e) {
            return "(capture failed: " + e + ")";
        }
    }

    /** Waits until the screen shows {@code text}; fails with the screen when it does not within {@code timeout}. */
    String await(String text, Duration timeout) throws InterruptedException {
        return await(s -> s.contains(text), "'" + text + "'", timeout);
    }

    String await(Predicate<String> shown, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = screen();
        while (!shown.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the terminal did not show " + what + " within " + timeout.toSeconds() + " s; screen:\n" + s);
            }
            Thread.sleep(250);
            s = screen();
        }
        return s;
    }

    /**
     * Answers a dialog: waits for {@code shown}, sends {@code keys}, and sends them again (up to three
     * times) while the dialog is still there, since a freshly drawn dialog can drop the first keys.
     */
    void answer(String shown, String... keys) throws IOException, InterruptedException {
        await(shown, Duration.ofSeconds(40));
        for (int attempt = 0; attempt < 3; attempt++) {
            keys(keys);
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < deadline) {
                if (!screen().contains(shown)) {
                    return;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the dialog '" + shown + "' did not take " + String.join(" ", keys) + "; screen:\n" + screen());
    }

    /** Sends keys as tmux names them ({@code Enter}, {@code Up}, {@code Down}) or literal text with {@link #type}. */
    void keys(String... keys) throws IOException, InterruptedException {
        Thread.sleep(800); // a dialog that just appeared may not take input yet
        for (String k : keys) {
            tmux("send-keys", "-t", "main", k);
            Thread.sleep(300);
        }
    }

    void type(String text) throws IOException, InterruptedException {
        Thread.sleep(800);
        tmux("send-keys", "-t", "main", "-l", text);
        Thread.sleep(300);
        keys("Enter");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static void require() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // handled below
        }
        String why = "tmux is needed to drive Claude Code in a pseudo-terminal (apt-get install tmux)";
        if (System.getenv("CI") != null) {
            throw new AssertionError(why + " (CI is set, so this is a failure)");
        }
        org.junit.jupiter.api.Assumptions.abort(why);
    }

    @Override
    public void close() {
        try {
            tmux("kill-server");
        } catch (IOException | InterruptedException e) {
            // already gone
        }
    }
}
