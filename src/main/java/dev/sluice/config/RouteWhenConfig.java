package dev.sluice.config;

import java.util.List;
import java.util.Map;

/**
 * Conditions of a routing rule beyond the model glob; every one given must hold.
 *
 * @param caller      who is calling (any listed key, user, team or org, and every listed tag)
 * @param inputTokens estimated input tokens (body bytes / 4): {@code at-least} and/or {@code below}
 * @param tools       true: the request offers tools; false: it offers none
 * @param thinking    true: extended thinking is on; false: it is off
 * @param images      true: a message carries an image block; false: none does
 * @param headers     request header name → glob its value must match ({@code "*"}: present)
 * @param time        time-of-day window
 * @param budget      budget states the rule applies to ({@code ok}, {@code warning}, {@code exhausted})
 */
public record RouteWhenConfig(Caller caller, Tokens inputTokens, Boolean tools, Boolean thinking, Boolean images,
                              Map<String, String> headers, TimeWindow time, List<String> budget) {
    public RouteWhenConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        budget = budget == null ? List.of() : List.copyOf(budget);
    }

    /** Callers a rule applies to: any of the listed keys (id or alias), users, teams, orgs; and all tags (value globs). */
    public record Caller(List<String> keys, List<String> users, List<String> teams, List<String> orgs,
                         Map<String, String> tags) {
        public Caller {
            keys = keys == null ? List.of() : List.copyOf(keys);
            users = users == null ? List.of() : List.copyOf(users);
            teams = teams == null ? List.of() : List.copyOf(teams);
            orgs = orgs == null ? List.of() : List.copyOf(orgs);
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    /** A range of estimated input tokens: at least {@code atLeast}, below {@code below}; either may be null. */
    public record Tokens(Long atLeast, Long below) {
    }

    /**
     * Hours of the day (and days of the week) in a time zone; {@code to} before {@code from} wraps
     * past midnight.
     *
     * @param from HH:mm, inclusive
     * @param to   HH:mm, exclusive
     * @param zone an IANA zone id (default UTC)
     * @param days mon..sun (default every day)
     */
    public record TimeWindow(String from, String to, String zone, List<String> days) {
        public TimeWindow {
            days = days == null ? List.of() : List.copyOf(days);
        }
    }
}
