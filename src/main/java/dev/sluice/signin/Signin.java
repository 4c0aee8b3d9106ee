package dev.sluice.signin;

import dev.sluice.authenticate.KeyResolver;
import dev.sluice.config.SigninConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.identity.IdentityStore;
import dev.sluice.pipeline.Identity;
import dev.sluice.signin.billing.BillingGroup;
import dev.sluice.signin.oauth.DeviceEndpoint;
import dev.sluice.signin.oauth.DeviceGrants;
import dev.sluice.signin.oauth.Discovery;
import dev.sluice.signin.oauth.Origin;
import dev.sluice.signin.oauth.RateLimiter;
import dev.sluice.signin.oauth.RevokeEndpoint;
import dev.sluice.signin.oauth.TokenEndpoint;
import dev.sluice.signin.policy.ManagedSettings;
import dev.sluice.signin.policy.ModelCatalog;
import dev.sluice.signin.policy.ModelPolicy;
import dev.sluice.signin.session.Blocklist;
import dev.sluice.signin.session.Directory;
import dev.sluice.signin.session.SessionResolver;
import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SessionTokens;
import dev.sluice.signin.session.SigningKeys;
import dev.sluice.signin.session.Subjects;
import dev.sluice.signin.store.SigninDb;
import dev.sluice.signin.telemetry.RelayStats;
import dev.sluice.signin.telemetry.TelemetryRelay;
import dev.sluice.signin.usage.SignedInUsage;
import dev.sluice.signin.usage.StandingSource;
import dev.sluice.signin.verify.HttpFetch;
import dev.sluice.signin.verify.IdTokens;
import dev.sluice.signin.verify.LoginFlows;
import dev.sluice.signin.verify.OidcClient;
import dev.sluice.signin.verify.VerificationPage;
import dev.sluice.store.Database;
import dev.sluice.trace.Telemetry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sign-in for Claude Code's gateway protocol, assembled from the {@code signin:} section: the parts
 * that live as long as the gateway (signing keys, sessions, device grants and browser sign-ins, all
 * durable in the database and shared by replicas; the blocklist; the upkeep thread that keeps this
 * replica's memory current) and, per Vert.x instance, the endpoints. Off unless enabled.
 *
 * <p>What the gateway wires: {@link #resolver()} into key resolution (beside static and issued
 * keys), {@link #routes(Vertx)} onto the front, {@link #stage()} after inspection, {@link
 * #standings(StandingSource)} from the budgets engine, {@link #usage()} into the usage endpoint for
 * signed-in callers, {@link #close()} at shutdown.
 */
public final class Signin implements AutoCloseable {
    static final Duration BLOCKLIST_REFRESH = Duration.ofSeconds(2);

    private final SigninConfig config;
    private final Clock clock;
    private final Origin origin;
    private final SessionStore sessions;
    private final SessionTokens tokens;
    private final DeviceGrants grants;
    private final LoginFlows flows;
    private final Blocklist blocklist;
    private final Directory directory;
    private final Subjects subjects;
    private final Upkeep upkeep;
    private final SessionResolver resolver;
    private final ModelPolicy models;
    private final ModelCatalog catalog;
    private final TelemetryRelay telemetry;
    private volatile StandingSource standings = StandingSource.NONE;

    private Signin(SigninConfig config, IdentityStore identities, Database database, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.origin = new Origin(config.publicUrl());
        SigninDb db = new SigninDb(database);
        this.sessions = new SessionStore(db, clock, config.refreshTokenTtl(), config.refreshReuseGrace(), config.accessTokenTtl(), 32,
                200_000);
        SigningKeys keys = new SigningKeys(db, clock, config.keyRotation(), config.accessTokenTtl());
        this.tokens = new SessionTokens(keys, clock, origin.issuer(), config.accessTokenTtl(), config.billingGroupTag(),
                Directory.policyGroups(config)::contains);
        this.grants = new DeviceGrants(db, clock, config.deviceCodeTtl(), config.pollInterval(), 10_000);
        this.flows = new LoginFlows(db, clock, Duration.ofMinutes(10), 10_000);
        this.upkeep = new Upkeep(keys, sessions, grants, flows);
        upkeep.syncNow(); // keys and sessions are in memory before the first request: a restart signs nobody out
        upkeep.start(config.syncInterval());
        this.blocklist = new Blocklist(identities).start(BLOCKLIST_REFRESH);
        this.subjects = new Subjects(db, clock);
        this.directory = new Directory(identities, config, subjects);
        this.resolver = new SessionResolver(tokens, sessions, blocklist, blocklist::goneSince, upkeep::wake);
        this.models = new ModelPolicy(config.models(), who -> sessions.groups(who.userId()));
        this.catalog = new ModelCatalog(config.models().listed(), models);
        this.telemetry = new TelemetryRelay(config.telemetry(), resolver::user);
    }

    /** Sign-in as configured, or null when the section is not enabled (then use {@link #OFF} as its resolver). */
    public static Signin create(SigninConfig config, IdentityStore identities, Database database, Clock clock) {
        return config.enabled() ? new Signin(config, identities, database, clock) : null;
    }

    /** A resolver for session tokens; {@link #OFF} when sign-in is off (never closes an open gateway). */
    public static KeyResolver resolver(Signin signin) {
        return signin == null ? OFF : signin.resolver;
    }

    public KeyResolver resolver() {
        return resolver;
    }

    /** Which models a caller may use, enforced on {@code /v1/messages} and {@code /v1/models} by {@link #stage()}. */
    public ModelPolicy models() {
        return models;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /** The model-policy, models-list, billing-group and usage-header stage; goes right after inspection. */
    public SigninStage stage() {
        BillingGroup billing = config.billingGroupTag() == null ? null : new BillingGroup(config.billingGroupTag());
        return new SigninStage(models, catalog, billing, sessions::groups, () -> standings, clock,
                "ask your platform team for an increase");
    }

    /** The model policy against every model the route plan may serve; goes right after the route stage. */
    public ServedModelCheck servedModelCheck() {
        return new ServedModelCheck(models);
    }

    /**
     * The model policy for each request of a Message Batch, which passes none of the pipeline's stages: what {@link
     * SigninStage} holds a message's requested name to, and {@link ServedModelCheck} the model its route serves.
     */
    public dev.sluice.batches.ModelGate batchModels() {
        return (who, requested, resolved, served) -> models.allowed(who, requested, resolved)
                && (served == null || models.allowed(who, served)) ? null : ModelPolicy.denied(requested);
    }

    /** Where callers' standings come from (the budgets engine); {@link StandingSource#NONE} until set. */
    public void standings(StandingSource source) {
        this.standings = source == null ? StandingSource.NONE : source;
    }

    /** {@code GET /api/oauth/usage} for signed-in callers, from the same standings as the headers. */
    public SignedInUsage usage() {
        return new SignedInUsage(() -> standings);
    }

    /** What happened to client telemetry (for the operator's metrics). */
    public RelayStats telemetryStats() {
        return telemetry.stats();
    }

    /** {@code /metrics}: client telemetry exports received, and what became of them, by outcome. */
    public List<Telemetry.Reading> telemetryReadings() {
        RelayStats stats = telemetry.stats();
        List<Telemetry.Reading> out = new ArrayList<>();
        out.add(new Telemetry.Reading("sluice.signin.telemetry.received", "Client OTLP exports received", true,
                stats::received));
        for (RelayStats.Outcome o : RelayStats.Outcome.values()) {
            out.add(new Telemetry.Reading("sluice.signin.telemetry.exports",
                    "Client OTLP exports by outcome (relayed, or why not), per collector for relays", true, () -> stats.count(o),
                    "outcome", o.name().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public SessionTokens tokens() {
        return tokens;
    }

    public SigninConfig config() {
        return config;
    }

    /** Ends every session of a developer at once (the admin's "revoke"), on every replica within one sync period. Blocking. */
    public int revokeUser(String userId) {
        return sessions.revokeUser(userId);
    }

    /**
     * Forgets which IdP account a developer signs in with, so their next sign-in binds a new one (an operator moving
     * them to another account; the admin API's seam). Blocking.
     */
    public boolean forgetIdpAccount(String userId) {
        return subjects.forget(userId);
    }

    /** The endpoints to mount on the front of one Vert.x instance. */
    public List<ExtraRoute> routes(Vertx vertx) {
        HttpFetch http = new HttpFetch(vertx, vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)),
                Duration.ofSeconds(10));
        OidcClient oidc = new OidcClient(http, config.oidc(), clock);
        // A sign-in is four page requests (form, code, IdP return, confirmation); the burst allows a few in a row
        // from one address (an office behind one NAT), the sustained rate keeps code guessing slow (RFC 8628 §5.1).
        RateLimiter pages = new RateLimiter(30, 20, 100_000);
        RateLimiter polls = new RateLimiter(120, 30, 100_000);
        RateLimiter devices = new RateLimiter(20, 10, 100_000);
        VerificationPage page = new VerificationPage(vertx, origin, grants, flows, oidc, new IdTokens(oidc, clock), directory, pages);
        TokenEndpoint token = new TokenEndpoint(vertx, grants, sessions, tokens, blocklist, directory::current, polls);
        DeviceEndpoint device = new DeviceEndpoint(vertx, origin, grants, devices, config.loginNotice());
        RevokeEndpoint revoke = new RevokeEndpoint(vertx, sessions, tokens, polls);
        Discovery discovery = new Discovery(origin);
        List<ExtraRoute> routes = new ArrayList<>();
        routes.add(new ExtraRoute(Discovery.PATH, discovery::handle));
        routes.add(new ExtraRoute(Discovery.DEVICE_PATH, device::handle));
        routes.add(new ExtraRoute(Discovery.TOKEN_PATH, token::handle));
        routes.add(new ExtraRoute(Discovery.REVOKE_PATH, revoke::handle));
        routes.add(new ExtraRoute(Discovery.VERIFY_PATH, page::handle));
        routes.add(new ExtraRoute(ManagedSettings.PATH, new ManagedSettings(config.managedSettings(), resolver)::handle));
        routes.addAll(telemetry.routes(vertx));
        return routes;
    }

    @Override
    public void close() {
        upkeep.close();
        blocklist.close();
    }

    /** The resolver while sign-in is off: knows no token and leaves open mode to the other resolvers. */
    public static final KeyResolver OFF = new KeyResolver() {
        @Override
        public Identity resolve(String presentedKey) {
            return null;
        }

        @Override
        public boolean isEmpty() {
            return true;
        }
    };
}
