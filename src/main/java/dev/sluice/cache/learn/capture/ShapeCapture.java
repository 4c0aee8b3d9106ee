package dev.sluice.cache.learn.capture;

import dev.sluice.cache.CacheCapture;
import dev.sluice.cache.CacheDecision;
import dev.sluice.cache.CacheRequest;
import dev.sluice.cache.CacheScope;
import dev.sluice.cache.entry.AnswerText;
import dev.sluice.cache.key.Placeholder;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.config.CacheConfig;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache stage's capture hook. Per sampled request: {@link #decided} when the cache has decided (the request's
 * bytes and key are kept by reference), {@link #onEvent} for each streamed answer event (references, up to 4 MB),
 * {@link #completed} at the end with the store outcome; then the digests are made and the line written on the
 * {@link CaptureLog}'s thread. {@link #OFF} does nothing, at the cost of one field read.
 *
 * <p>The semantic cache may put its nearest similarity on the exchange under {@link #SIMILARITY}; the miss analysis
 * then tells "below the semantic threshold" from other misses.
 */
public class ShapeCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShapeCapture.class);
    /** The similarity of the nearest semantic candidate, when the semantic cache looked (for the miss analysis). */
    public static final Exchange.Key<Double> SIMILARITY = new Exchange.Key<>("cache-semantic-similarity", Double.class);
    private static final Exchange.Key<Pending> PENDING = new Exchange.Key<>("cache-shape-capture", Pending.class);
    private static final long MAX_ANSWER_BYTES = 4L << 20;
    private static final String SALT_FILE = "salt";

    /** Captures nothing. */
    public static final ShapeCapture OFF = new ShapeCapture();

    private final CaptureLog log;
    private final ShapeDigester digester;
    private final double sample;
    private final boolean includeText;

    private ShapeCapture() {
        this.log = null;
        this.digester = null;
        this.sample = 0;
        this.includeText = false;
    }

    ShapeCapture(CaptureLog log, ShapeDigester digester, double sample, boolean includeText) {
        this.log = log;
        this.digester = digester;
        this.sample = sample;
        this.includeText = includeText;
    }

    /**
     * The capture {@code settings} ask for, in their directory or {@code <dataDir>/cache-capture}; {@link #OFF}
     * when disabled or when the directory cannot be written (logged: the gateway still starts).
     */
    public static ShapeCapture open(CacheConfig.Capture settings, Path dataDir) {
        if (!settings.enabled()) {
            return OFF;
        }
        Path dir = settings.dir() != null ? settings.dir() : dataDir.resolve("cache-capture");
        try {
            CaptureLog log = new CaptureLog(dir, settings.maxBytes().bytes(), settings.keep());
            LOG.info("cache capture on: {} (files of {} bytes, {} kept, sample {}{})", dir, settings.maxBytes().bytes(),
                    settings.keep(), settings.sample(), settings.includeText() ? ", with the newest user text" : "");
            return new ShapeCapture(log, new ShapeDigester(salt(dir)), settings.sample(), settings.includeText());
        } catch (IOException e) {
            LOG.warn("cache capture off: cannot use {}: {}", dir, e.getMessage());
            return OFF;
        }
    }

    /** The directory's salt, made on first use and readable by its owner only; never written into a capture line. */
    static byte[] salt(Path dir) throws IOException {
        Path file = dir.resolve(SALT_FILE);
        if (Files.exists(file)) {
            byte[] salt = Files.readAllBytes(file);
            if (salt.length >= 16) {
                return salt;
            }
        }
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        Files.write(file, salt);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions apply
        }
        return salt;
    }

    public boolean enabled() {
        return log != null;
    }

    /** The capture directory, or null when off. */
    public Path dir() {
        return log == null ? null : log.dir();
    }

    public CaptureLog log() {
        return log;
    }

    /** What one sampled request holds until it completes. */
    private static final class Pending {
        final long at = System.currentTimeMillis();
        final CacheRequest request;
        final CacheDecision decision;
        final List<SseEvent> events = new ArrayList<>();
        long eventBytes;

        Pending(CacheRequest request, CacheDecision decision) {
            this.request = request;
            this.decision = decision;
        }
    }

    /** The cache decided {@code decision} for {@code request}. */
    public void decided(Exchange ex, CacheRequest request, CacheDecision decision) {
        if (log == null || (sample < 1 && ThreadLocalRandom.current().nextDouble() >= sample)) {
            return;
        }
        ex.put(PENDING, new Pending(request, decision));
    }

    /** One event of the answer as the client gets it (kept by reference for the answer digest). */
    public void onEvent(Exchange ex, SseEvent event) {
        if (log == null) {
            return;
        }
        Pending p = ex.get(PENDING);
        if (p != null && p.eventBytes >= 0 && !(p.decision instanceof CacheDecision.Hit)) { // a hit's answer is in the decision
            p.eventBytes += event.raw().length;
            if (p.eventBytes > MAX_ANSWER_BYTES) {
                p.events.clear();
                p.eventBytes = -1; // too long to digest: the line says answer null
            } else {
                p.events.add(event);
            }
        }
    }

    /** The exchange is over; {@code stored} is the store outcome of a miss (null otherwise). */
    public void completed(Exchange ex, CacheCapture.Outcome stored) {
        if (log == null) {
            return;
        }
        Pending p = ex.get(PENDING);
        if (p == null) {
            return;
        }
        Facts facts = Facts.of(ex, p, stored);
        log.submit(p.request.length(), () -> line(p, facts));
    }

    /** What is read from the exchange on its own thread, before the line is made on the writer's. */
    private record Facts(String requestId, Identity identity, String scope, String namespace, long ttlSeconds,
                         Usage usage, long costNanoUsd, long valueNanoUsd, boolean errored, byte[] wholeAnswer,
                         CacheCapture.Outcome stored, double similarity) {
        static Facts of(Exchange ex, Pending p, CacheCapture.Outcome stored) {
            CacheRequest r = p.request;
            String ns = r.controls().namespace() != null ? r.controls().namespace() : r.policy().namespace();
            Duration asked = r.controls().ttl();
            Duration ttl = asked == null || asked.isZero() ? r.policy().defaultTtl() : asked;
            ttl = ttl.compareTo(r.policy().maxTtl()) > 0 ? r.policy().maxTtl() : ttl;
            long cost = ex.cost().nanoUsd();
            boolean hit = p.decision instanceof CacheDecision.Hit;
            byte[] whole = !ex.streaming() && ex.responseBody() != null && ex.responseBody().length() <= MAX_ANSWER_BYTES
                    ? ex.responseBody().getBytes() : null;
            Double similarity = ex.get(SIMILARITY);
            return new Facts(ex.requestId(), r.identity(), r.policy().scope().scopeOf(r.identity()), ns, ttl.toSeconds(),
                    hit ? Usage.ZERO : ex.usage(), hit ? 0 : cost, hit ? ex.gatewaySavingsNanoUsd() : cost,
                    ex.errorType() != null, whole, stored, similarity == null ? Double.NaN : similarity);
        }
    }

    private String line(Pending p, Facts f) {
        CacheRequest r = p.request;
        RequestKey key = p.decision.key();
        Map<String, String> bindings = new TreeMap<>();
        List<String> rewritten = new ArrayList<>();
        if (key != null) {
            key.bindings().asMap().forEach((ph, v) -> bindings.put(ph.name(), v));
            if (key.substituted()) {
                for (Placeholder ph : key.bindings().asMap().keySet()) {
                    rewritten.add(ph.name());
                }
            }
        }
        ShapeDigester.Digests d = null;
        try {
            d = digester.digest(r.body(), r.length(), bindings, r.keyContext(), includeText);
        } catch (IOException e) {
            LOG.debug("request {}: no shape digests: {}", f.requestId(), e.getMessage());
        }
        Identity id = f.identity();
        Usage u = f.usage();
        String reason = p.decision instanceof CacheDecision.Bypass b ? b.reason() : null;
        return ShapeCodec.write(new Shape(p.at, f.requestId(), CacheScope.org(id), f.scope(),
                id.userId() != null ? id.userId() : "key:" + id.keyId(), id.teamId(), f.namespace(),
                key == null ? null : key.model(), r.stream(), p.decision.status(), reason,
                f.stored() == null ? null : f.stored().stored(), f.stored() == null ? null : f.stored().reason(),
                f.ttlSeconds(), r.policy().rules().describe(), rewritten, d == null ? null : d.bindings(),
                key == null || !key.cacheable() ? null : key.keyHex().substring(0, 16), d == null ? null : d.keys(),
                d == null ? null : d.parts(), d == null ? null : d.raw(), d == null ? null : d.loose(),
                u.inputTokens() + u.cacheReadInputTokens() + u.cacheCreationInputTokens(), u.outputTokens(),
                u.cacheReadInputTokens(), u.cacheCreationInputTokens(), f.costNanoUsd(), f.valueNanoUsd(),
                f.errored() ? null : answer(p, f, bindings), d == null ? null : d.breakpoints(), f.similarity(),
                d == null ? null : d.newestText()));
    }

    private String answer(Pending p, Facts f, Map<String, String> bindings) {
        try {
            String text;
            if (p.decision instanceof CacheDecision.Hit hit) {
                text = hit.events() != null ? AnswerText.of(hit.events()) : AnswerText.of(Json.MAPPER.readTree(hit.body()));
            } else if (!p.events.isEmpty()) {
                text = AnswerText.of(p.events);
            } else if (f.wholeAnswer() != null) {
                text = AnswerText.of(Json.MAPPER.readTree(f.wholeAnswer()));
            } else {
                return null;
            }
            return digester.answer(text, bindings);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Records a bust made through this gateway. */
    public void busted(String org, String scope, String namespace) {
        if (log != null) {
            long at = System.currentTimeMillis();
            log.submit(0, () -> ShapeCodec.write(new Bust(at, org, scope, namespace)));
        }
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
