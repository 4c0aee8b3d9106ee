package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Examples;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A password inside a URL: {@code postgres://app:s3cr3t@db:5432/app} (database URLs, reported as
 * such), or any other scheme's {@code user:password@host} ({@code https://x:ghp_..@github.com}, a git
 * remote with a token). Only the password is reported, so a redacted URL still tells the model which
 * database it is about. Placeholders ({@code user:password@}, {@code ${DB_PASSWORD}}) and the default
 * passwords of development containers ({@code postgres:postgres@localhost}) are not secrets.
 */
public final class UrlCredentials implements Detector {
    static final Rule DATABASE = Rule.secret("database-url-password", Severity.HIGH, "A password in a database connection URL");
    static final Rule URL = Rule.secret("url-password", Severity.HIGH, "A password or token in the user-info part of a URL");

    private static final Set<String> DATABASE_SCHEMES = Set.of("postgres", "postgresql", "mysql", "mariadb", "mongodb",
            "mongodb+srv", "redis", "rediss", "amqp", "amqps", "mssql", "sqlserver", "clickhouse", "cockroachdb", "couchdb",
            "neo4j", "neo4j+s", "bolt", "oracle", "db2", "snowflake", "cassandra", "memcached", "elasticsearch", "influxdb",
            "nats", "kafka", "jdbc:postgresql", "jdbc:mysql", "jdbc:mariadb", "jdbc:sqlserver", "jdbc:oracle");
    private static final Set<String> NOT_SECRETS = Set.of("password", "passwd", "pass", "pwd", "secret", "changeme",
            "postgres", "root", "admin", "guest", "test", "example", "user", "username", "mysql", "redis", "mongo", "default",
            "dev", "local", "localhost", "demo", "sa", "x", "token", "apikey", "api_key", "xxx", "mypassword", "yourpassword",
            "pw", "p", "foo", "bar", "example-password", "password123", "secret123", "rabbitmq", "s3cr3t", "p@ssw0rd", "p4ssw0rd",
            "passw0rd", "pa55word", "hunter2", "letmein", "qwerty", "123456", "changeit", "pass123", "admin123");

    @Override
    public List<Rule> rules() {
        return List.of(DATABASE, URL);
    }

    @Override
    public List<Keyword> keywords() {
        return List.of(Keyword.of("://"));
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        int schemeStart = Chars.runBack(t, start, 30, c -> Chars.alnum(c) || c == '+' || c == '.' || c == '-' || c == ':');
        if (schemeStart == start) {
            return end;
        }
        int authorityEnd = Chars.run(t, end, 256, UrlCredentials::authorityChar);
        int at = lastAt(t, end, authorityEnd);
        if (at < 0) {
            return end;
        }
        int colon = firstColon(t, end, at);
        if (colon < 0 || colon + 1 >= at) {
            return at;
        }
        int passStart = colon + 1;
        if (!secretPassword(t, passStart, at)) {
            return at;
        }
        String scheme = new String(t.bytes(), schemeStart, start - schemeStart, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        Rule rule = DATABASE_SCHEMES.contains(scheme) || scheme.startsWith("jdbc:") || scheme.startsWith("postgresql+")
                || scheme.startsWith("mysql+") ? DATABASE : URL;
        out.report(t, rule, passStart, at);
        return at;
    }

    /** Up to the path: a password written without percent-encoding may hold '?' or '#', so those do not end it here. */
    private static boolean authorityChar(int c) {
        return c > ' ' && c != '/' && c != '"' && c != '\'' && c != '`' && c != '<' && c != '>' && c != '\\'
                && c != ')' && c != ']' && c != ',' && c < 0x7f;
    }

    private static int lastAt(Text t, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (t.at(i) == '@') {
                return i;
            }
        }
        return -1;
    }

    private static int firstColon(Text t, int from, int to) {
        for (int i = from; i < to; i++) {
            if (t.at(i) == ':') {
                return i;
            }
        }
        return -1;
    }

    private static boolean secretPassword(Text t, int from, int to) {
        int len = to - from;
        if (len < 3 || len > 200) {
            return false;
        }
        return !placeholder(new String(t.bytes(), from, len, StandardCharsets.ISO_8859_1)) && !Examples.example(t, from, to);
    }

    /** A password that only stands for one: a word people write in docs and dev setups, a template variable, a mask. */
    static boolean placeholder(String password) {
        String lower = password.toLowerCase(Locale.ROOT);
        return NOT_SECRETS.contains(lower) || lower.contains("${") || lower.contains("{{") || lower.startsWith("$")
                || lower.startsWith("%") || lower.startsWith("<") || lower.startsWith("{") || lower.startsWith("[")
                || lower.startsWith("*") || lower.contains("password") || lower.contains("your") || lower.contains("..");
    }
}
