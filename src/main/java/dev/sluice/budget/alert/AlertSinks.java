package dev.sluice.budget.alert;

import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetsConfig.SinkConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds sinks from the {@code budgets.alerts.sinks} list, with every problem named. */
public final class AlertSinks {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private AlertSinks() {
    }

    public static Map<String, AlertSink> fromConfig(String origin, List<SinkConfig> configs) {
        List<String> problems = new ArrayList<>();
        Map<String, AlertSink> out = read(configs, problems, true);
        if (!problems.isEmpty()) {
            throw new BudgetConfigException(origin, problems);
        }
        return out;
    }

    /** What is wrong with the sinks, without building them (configuration checks and reload validation). */
    public static List<String> problems(List<SinkConfig> configs) {
        List<String> problems = new ArrayList<>();
        read(configs, problems, false);
        return problems;
    }

    private static Map<String, AlertSink> read(List<SinkConfig> configs, List<String> problems, boolean build) {
        Map<String, AlertSink> out = new LinkedHashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; configs != null && i < configs.size(); i++) {
            SinkConfig s = configs.get(i);
            String where = "budgets.alerts.sinks[" + i + "]";
            if (s == null || s.name() == null || s.name().isBlank()) {
                problems.add(where + ".name: missing (expected: a name budgets refer to in owner.sinks)");
                continue;
            }
            if (!names.add(s.name())) {
                problems.add(where + ".name: '" + s.name() + "' is used twice");
                continue;
            }
            Duration timeout = s.timeout() == null ? DEFAULT_TIMEOUT : s.timeout();
            String kind = s.kind() == null ? "" : s.kind().toLowerCase(Locale.ROOT);
            switch (kind) {
                case "webhook", "slack" -> {
                    URI url = url(s.url(), where, problems);
                    if (url != null && build) {
                        out.put(s.name(), new WebhookSink(s.name(), url, s.headers() == null ? Map.of() : s.headers(), kind.equals("slack"), timeout));
                    }
                }
                case "email" -> {
                    if (s.smtpHost() == null || s.from() == null || s.to() == null || s.to().isEmpty()) {
                        problems.add(where + ": email needs smtp-host, from and to (expected: smtp-host: mail.example.com, from: ..., to: [...])");
                    } else if (build) {
                        int port = s.smtpPort() == null ? 25 : s.smtpPort();
                        out.put(s.name(), new EmailSink(s.name(), s.smtpHost(), port, s.from(), s.to(), s.username(), s.password(),
                                Boolean.TRUE.equals(s.starttls()), timeout));
                    }
                }
                default -> problems.add(where + ".kind: '" + s.kind() + "' (expected one of: webhook, slack, email)");
            }
        }
        return out;
    }

    private static URI url(String raw, String where, List<String> problems) {
        try {
            URI u = URI.create(raw == null ? "" : raw.trim());
            if ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(where + ".url: '" + raw + "' (expected: an http:// or https:// URL)");
        return null;
    }
}
