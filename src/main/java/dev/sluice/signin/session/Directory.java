package dev.sluice.signin.session;

import dev.sluice.config.SigninConfig;
import dev.sluice.identity.IdentityException;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.NewUser;
import dev.sluice.identity.Org;
import dev.sluice.identity.Team;
import dev.sluice.identity.User;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Places a developer the IdP vouched for in the identity model: the user whose id is their
 * lower-cased, IdP-verified email, bound to the IdP account that first signed in as them ({@link Subjects}) (created on first sign-in, in the team the first matching rule names; an
 * operator may also create the user beforehand, with a team and a cap of their choosing), checked
 * against the allowed domains and groups and against disabled users, teams and orgs.
 *
 * <p>Blocking (JDBC): call it from a worker thread.
 */
public final class Directory {
    /** More groups than this and the sign-in is refused: deciding on a cut list could drop a group a deny names. */
    public static final int MAX_READ_GROUPS = 2000;
    /** Groups a session keeps: every group the configuration names first, then others in the IdP's order. */
    static final int MAX_SESSION_GROUPS = 100;
    /** Groups a refusal names: up to 2,000 of 256 characters each would make a half-megabyte page and log line. */
    static final int SHOWN_GROUPS = 20;

    private final IdentityStore store;
    private final SigninConfig config;
    private final Subjects subjects;

    public Directory(IdentityStore store, SigninConfig config, Subjects subjects) {
        this.store = store;
        this.config = config;
        this.subjects = subjects;
    }

    /** The signed-in user, or a {@link Refused} saying why not (shown to the developer on the verification page). */
    public SignedInUser admit(Profile p) {
        if (p.email() == null || p.email().isBlank()) {
            throw new Refused("your identity provider did not share an email address");
        }
        if (!EmailDomains.ascii(p.email().strip())) {
            throw new Refused("your address " + p.email().strip() + " has characters outside ASCII, which this gateway"
                    + " does not accept in addresses; ask your platform team");
        }
        verified(p);
        if (p.groups().size() > MAX_READ_GROUPS) {
            throw new Refused("your identity provider lists more than " + MAX_READ_GROUPS + " groups for you; ask your"
                    + " platform team to send only the groups this gateway needs (a group filter on the claim)");
        }
        if (!config.allowedEmailDomains().isEmpty()
                && config.allowedEmailDomains().stream().noneMatch(d -> EmailDomains.same(d, p.emailDomain()))) {
            throw new Refused("accounts at " + p.emailDomain() + " may not use this gateway");
        }
        if (!config.allowedGroups().isEmpty() && p.groups().stream().noneMatch(config.allowedGroups()::contains)) {
            throw new Refused("none of your groups may use this gateway");
        }
        String userId = p.email().strip().toLowerCase(Locale.ROOT);
        if (p.issuer() == null || p.subject() == null || !subjects.bind(userId, p.issuer(), p.subject())) {
            throw new Refused(p.email().strip() + " already signs in to this gateway with another identity-provider account;"
                    + " ask your platform team");
        }
        User user = findOrCreate(userId, p);
        if (user.disabled()) {
            throw new Refused("your account is disabled on this gateway");
        }
        Team team = store.team(user.teamId());
        Org org = store.org(team.orgId());
        if (team.disabled() || org.disabled()) {
            throw new Refused("your team is disabled on this gateway");
        }
        List<String> groups = kept(p.groups(), policyGroups(config));
        return new SignedInUser(userId, p.email().strip(), groups, team.id(), org.id(), user.tags());
    }

    /** Every IdP group the configuration names: model policy, allowed groups, team and settings rules. */
    public static Set<String> policyGroups(SigninConfig config) {
        Set<String> named = new HashSet<>(config.allowedGroups());
        named.addAll(config.models().groups().keySet());
        config.teams().stream().map(SigninConfig.TeamRule::group).filter(Objects::nonNull).forEach(named::add);
        config.managedSettings().stream().map(SigninConfig.SettingsRule::group).filter(Objects::nonNull).forEach(named::add);
        return Set.copyOf(named);
    }

    /** At most {@link #MAX_SESSION_GROUPS}: the named ones first (never dropped for others), then the rest in order. */
    static List<String> kept(List<String> groups, Set<String> named) {
        if (groups.size() <= MAX_SESSION_GROUPS) {
            return groups;
        }
        List<String> out = new ArrayList<>(groups.stream().filter(named::contains).toList());
        for (String g : groups) {
            if (out.size() >= MAX_SESSION_GROUPS) {
                break;
            }
            if (!named.contains(g)) {
                out.add(g);
            }
        }
        return out;
    }

    /**
     * The developer as the directory has them now (team, org, tags), for a refresh: a session follows a
     * team move or tag change at its next refresh, as a virtual key follows at the next registry read.
     * Null when the user was deleted or disabled, or their team or org is disabled: the session ends.
     */
    public SignedInUser current(SignedInUser u) {
        User user;
        try {
            user = store.user(u.userId());
        } catch (IdentityException e) {
            if (e.kind() == IdentityException.Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        if (user.disabled()) {
            return null;
        }
        Team team = store.team(user.teamId());
        Org org = store.org(team.orgId());
        if (team.disabled() || org.disabled()) {
            return null;
        }
        return new SignedInUser(u.userId(), u.email(), u.groups(), team.id(), org.id(), user.tags());
    }

    /**
     * The address names the user and decides domain and team rules, so it must be one the IdP verified: an explicit
     * {@code email_verified: false} is always refused (an IdP that lets users type any address); a missing claim is
     * accepted only when the operator says this IdP issues verified addresses alone ({@code idp-verifies-emails}).
     */
    private void verified(Profile p) {
        if (Boolean.TRUE.equals(p.emailVerified())) {
            return;
        }
        if (p.emailVerified() == null && config.oidc() != null && config.oidc().idpVerifiesEmails()) {
            return;
        }
        throw new Refused("your identity provider has not verified the address " + p.email().strip()
                + (p.emailVerified() == null ? " (it sent no email_verified claim; see signin.oidc.idp-verifies-emails)" : ""));
    }

    private User findOrCreate(String userId, Profile p) {
        try {
            return store.user(userId);
        } catch (IdentityException e) {
            if (e.kind() != IdentityException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        String team = teamFor(p);
        if (team == null) {
            throw new Refused("no team on this gateway takes your groups " + shown(p.groups()) + "; ask your platform team");
        }
        try {
            return store.createUser(new NewUser(userId, team, p.name() == null ? userId : p.name(), p.email().strip(),
                    Map.of(), null));
        } catch (IdentityException e) {
            if (e.kind() == IdentityException.Kind.CONFLICT) {
                return store.user(userId); // another sign-in created it a moment ago
            }
            throw e;
        }
    }

    /** The first rule matching one of the groups or the email domain, else the default team (may be null). */
    String teamFor(Profile p) {
        List<SigninConfig.TeamRule> rules = config.teams();
        for (SigninConfig.TeamRule r : rules) {
            boolean byGroup = r.group() != null && p.groups().contains(r.group());
            boolean byDomain = EmailDomains.same(r.emailDomain(), p.emailDomain());
            if (byGroup || byDomain) {
                return r.team();
            }
        }
        return config.defaultTeam();
    }

    /** Groups as a refusal names them: the first {@link #SHOWN_GROUPS}, then how many more (the page and the log stay small). */
    static String shown(List<String> groups) {
        if (groups.size() <= SHOWN_GROUPS) {
            return groups.toString();
        }
        return groups.subList(0, SHOWN_GROUPS).toString().replaceFirst("]$", ", and " + (groups.size() - SHOWN_GROUPS) + " more]");
    }

    /** Sign-in refused for a reason the developer may read. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
