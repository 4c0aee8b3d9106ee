package dev.sluice.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.KeysCommand;
import dev.sluice.cli.OrgsCommand;
import dev.sluice.cli.TeamsCommand;
import dev.sluice.cli.UsersCommand;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code keys}, {@code users}, {@code teams} and {@code orgs} commands against a SQLite data dir. */
class IdentityCommandsTest {
    private static final Pattern SECRET = Pattern.compile("sk-sluice-[0-9A-Za-z]{43}");
    private static final Pattern KEY_ID = Pattern.compile("Created key (key_\\w+)");

    @TempDir
    Path dataDir;
    private StringWriter out;
    private StringWriter err;

    private int run(Object command, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dataDir.toString();
        return cli.execute(all);
    }

    private void ok(Object command, String... args) {
        assertThat(run(command, args)).as(err.toString()).isZero();
    }

    private void setUp() {
        ok(new OrgsCommand(), "create", "acme", "--name", "Acme Corp");
        ok(new TeamsCommand(), "create", "platform", "--org", "acme");
        ok(new UsersCommand(), "create", "ana", "--team", "platform", "--email", "ana@example.com", "--monthly-cap", "200");
    }

    @Test
    void createsListsRotatesAndRevokesKeys() {
        setUp();
        ok(new UsersCommand(), "list");
        assertThat(out.toString()).startsWith("ID   TEAM      NAME  EMAIL            CAP_USD  STATUS  TAGS\n")
                .contains("ana  platform  ana   ana@example.com  200      active  -");
        ok(new TeamsCommand(), "list", "--org", "acme");
        assertThat(out.toString()).contains("platform  acme  platform  active");

        ok(new KeysCommand(), "create", "--user", "ana", "--alias", "ana-laptop", "--tag", "repo=api", "--expires", "90d",
                "--monthly-cap", "50");
        String secret = find(SECRET, out.toString());
        String id = find(KEY_ID, out.toString());
        assertThat(out.toString()).contains("cannot show this key again").contains("expires 20");

        ok(new KeysCommand(), "list", "--user", "ana");
        assertThat(out.toString()).contains(id).contains("ana-laptop").contains(secret.substring(0, 16) + "…")
                .contains("active").contains("50").contains("repo=api").doesNotContain(secret.substring(16));

        ok(new KeysCommand(), "rotate", id, "--grace", "1h");
        String next = find(SECRET, out.toString());
        assertThat(out.toString()).contains("The old secret works until ");
        try (Database db = Database.open(StoreSettings.sqlite(dataDir));
             KeyRegistry registry = KeyRegistry.started(new IdentityStore(db))) {
            assertThat(registry.resolve(secret).keyId()).isEqualTo(id);
            assertThat(registry.resolve(next).tags()).containsEntry("repo", "api");
            assertThat(registry.caps(id).userUsd()).isEqualByComparingTo("200");
        }

        ok(new KeysCommand(), "revoke", id);
        assertThat(out.toString()).startsWith("Revoked key " + id + " (alias ana-laptop, user ana).");
        ok(new KeysCommand(), "list");
        assertThat(out.toString()).contains("revoked");

        ok(new KeysCommand(), "create", "--user", "ana", "--quiet");
        assertThat(out.toString()).matches(SECRET.pattern() + "\\R");
    }

    @Test
    void explainsBadInputWithExitCodeTwo() {
        assertThat(run(new KeysCommand(), "list")).isEqualTo(2);
        assertThat(err.toString()).contains("no database at");
        setUp();
        expect(new OrgsCommand(), "org \"acme\" already exists", "create", "acme");
        expect(new TeamsCommand(), "org \"nope\" not found", "create", "web", "--org", "nope");
        expect(new KeysCommand(), "user \"ghost\" not found", "create", "--user", "ghost");
        expect(new KeysCommand(), "--expires: 'soon' (expected: a duration such as", "create", "--user", "ana", "--expires", "soon");
        expect(new KeysCommand(), "--grace: 'later' (expected: a duration", "rotate", "key_x", "--grace", "later");
        expect(new KeysCommand(), "--monthly-cap: monthly cap: \"lots\" (expected: USD", "create", "--user", "ana",
                "--monthly-cap", "lots");
        expect(new KeysCommand(), "should be in KEY=VALUE format", "create", "--user", "ana", "--tag", "repo");
        expect(new KeysCommand(), "tag name: \"re po\" (expected:", "create", "--user", "ana", "--tag", "re po=x");
        expect(new KeysCommand(), "key \"key_ghost\" not found", "revoke", "key_ghost");
        expect(new UsersCommand(), "Missing required option: '--team=TEAM'", "create", "bo");
    }

    private void expect(Object command, String message, String... args) {
        assertThat(run(command, args)).as(out + "\n" + err).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }
}
