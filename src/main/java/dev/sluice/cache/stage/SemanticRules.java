package dev.sluice.cache.stage;

import dev.sluice.cache.semantic.SemanticMode;
import dev.sluice.cache.semantic.SemanticSettings;
import dev.sluice.config.CacheConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code cache.semantic} section compiled for one snapshot: the mode (which reloads live), the models it
 * applies to, and the matcher's settings (which the running matcher keeps until the next start).
 */
public final class SemanticRules {
    static final SemanticRules OFF = new SemanticRules(SemanticMode.OFF, List.of(), SemanticSettings.defaults()
            .withMode(SemanticMode.OFF), 256, Duration.ofMillis(50), 1, null, List.of());

    /** A base threshold for the models a glob fits. */
    private record ModelThreshold(Pattern models, double threshold) {
    }

    private final SemanticMode mode;
    private final List<Pattern> models;
    private final SemanticSettings settings;
    private final int queue;
    private final Duration maxWait;
    private final int modelThreads;
    private final String tableDir;
    private final List<ModelThreshold> thresholds;

    private SemanticRules(SemanticMode mode, List<Pattern> models, SemanticSettings settings, int queue, Duration maxWait,
                          int modelThreads, String tableDir, List<ModelThreshold> thresholds) {
        this.mode = mode;
        this.models = models;
        this.settings = settings;
        this.queue = queue;
        this.maxWait = maxWait;
        this.modelThreads = modelThreads;
        this.tableDir = tableDir;
        this.thresholds = thresholds;
    }

    public SemanticMode mode() {
        return mode;
    }

    /** The mode for a request asking for {@code model}: off unless one of the section's globs fits. */
    public SemanticMode modeFor(String model) {
        if (mode == SemanticMode.OFF || model == null) {
            return SemanticMode.OFF;
        }
        for (Pattern p : models) {
            if (p.matcher(model).matches()) {
                return mode;
            }
        }
        return SemanticMode.OFF;
    }

    /** The base threshold for {@code model} from {@code cache.semantic.thresholds} (first glob that fits), or NaN. */
    public double thresholdFor(String model) {
        if (model != null) {
            for (ModelThreshold t : thresholds) {
                if (t.models().matcher(model).matches()) {
                    return t.threshold();
                }
            }
        }
        return Double.NaN;
    }

    /** The matcher's settings (mode on: whether a match is served is decided per request from {@link #modeFor}). */
    public SemanticSettings settings() {
        return settings;
    }

    public int queue() {
        return queue;
    }

    /** How long a request waits for its lookup; past it the request goes upstream as a miss (reloads live). */
    public Duration maxWait() {
        return maxWait;
    }

    public int modelThreads() {
        return modelThreads;
    }

    /** Where the static token table is kept, or null for {@code <data-dir>/semantic}. */
    public String tableDir() {
        return tableDir;
    }

    /** Checks every field, adding each problem by its key; the result is only used when there are none. */
    static SemanticRules compile(CacheConfig.Semantic s, CacheRules.Problems p) {
        String at = "cache.semantic";
        SemanticMode mode = SemanticMode.OFF;
        // YAML 1.1 reads a bare on/off as a boolean.
        String m = s.mode().equals("true") ? "on" : s.mode().equals("false") ? "off" : s.mode();
        try {
            mode = SemanticMode.valueOf(m.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            p.add(at + ".mode", s.mode(), "off, shadow or on");
        }
        List<Pattern> models = new ArrayList<>();
        if (s.routes().isEmpty() || s.routes().size() > 256) {
            p.add(at + ".routes", s.routes().size() + " entries", "1 to 256 model names or globs");
        }
        for (int i = 0; i < s.routes().size(); i++) {
            String glob = s.routes().get(i);
            if (glob == null || glob.isBlank() || glob.length() > 256) {
                p.add(at + ".routes[" + i + "]", glob, "a model name or glob such as claude-* (at most 256 characters)");
            } else {
                models.add(CacheRules.glob(glob.trim()));
            }
        }
        range(p, at + ".threshold", s.threshold(), 0.5, 1.0);
        range(p, at + ".threshold-floor", s.thresholdFloor(), 0.5, s.threshold());
        List<ModelThreshold> thresholds = new ArrayList<>();
        if (s.thresholds().size() > 256) {
            p.add(at + ".thresholds", s.thresholds().size() + " entries", "at most 256 model globs");
        }
        for (var e : s.thresholds().entrySet()) {
            String glob = e.getKey();
            if (glob == null || glob.isBlank() || glob.length() > 256) {
                p.add(at + ".thresholds", glob, "a model name or glob such as claude-* (at most 256 characters)");
            } else if (e.getValue() == null) {
                p.add(at + ".thresholds." + glob, null, "a similarity from threshold-floor to 1");
            } else {
                range(p, at + ".thresholds." + glob, e.getValue(), s.thresholdFloor(), 1.0);
                thresholds.add(new ModelThreshold(CacheRules.glob(glob.trim()), e.getValue()));
            }
        }
        if (!(s.errorBound() > 0 && s.errorBound() < 0.5)) {
            p.add(at + ".error-bound", s.errorBound(), "above 0 and below 0.5");
        }
        if (s.candidates() < 1 || s.candidates() > 64) {
            p.add(at + ".candidates", s.candidates(), "1 to 64");
        }
        if (s.entryTtl().toSeconds() < 1 || s.entryTtl().compareTo(Duration.ofDays(365)) > 0) {
            p.add(at + ".entry-ttl", s.entryTtl().toSeconds() + "s", "from 1s to 365d");
        }
        if (s.maxEntries() < 1 || s.maxEntries() > 1_000_000) {
            p.add(at + ".max-entries", s.maxEntries(), "1 to 1000000 per conversation anchor");
        }
        if (s.maxBytes().bytes() < (1L << 20) || s.maxBytes().bytes() > (16L << 30)) {
            p.add(at + ".max-bytes", s.maxBytes().bytes(), "from 1MB to 16GB (and well under the heap)");
        }
        if (s.queue() < 1 || s.queue() > 65_536) {
            p.add(at + ".queue", s.queue(), "1 to 65536 waiting lookups");
        }
        if (s.maxWait().toMillis() < 1 || s.maxWait().compareTo(Duration.ofSeconds(5)) > 0) {
            p.add(at + ".max-wait", s.maxWait().toMillis() + "ms", "from 1ms to 5s");
        }
        if (s.modelThreads() < 1 || s.modelThreads() > 64) {
            p.add(at + ".model-threads", s.modelThreads(), "1 to 64");
        }
        CacheConfig.Semantic.Rollback rb = s.rollback();
        if (rb.window().toSeconds() < 1 || rb.window().compareTo(Duration.ofDays(7)) > 0) {
            p.add(at + ".rollback.window", rb.window().toSeconds() + "s", "from 1s to 7d");
        }
        if (!(rb.maxWrongShare() > 0 && rb.maxWrongShare() <= 1)) {
            p.add(at + ".rollback.max-wrong-share", rb.maxWrongShare(), "above 0, at most 1");
        }
        if (rb.minHits() < 1 || rb.minHits() > 1_000_000) {
            p.add(at + ".rollback.min-hits", rb.minHits(), "1 to 1000000");
        }
        if (rb.minLookups() < 1 || rb.minLookups() > 1_000_000_000) {
            p.add(at + ".rollback.min-lookups", rb.minLookups(), "1 to 1000000000");
        }
        range(p, at + ".rollback.min-hit-ratio", rb.minHitRatio(), 0.0, 1.0);
        if (s.tableDir() != null && (s.tableDir().isBlank() || s.tableDir().length() > 4096)) {
            p.add(at + ".table-dir", s.tableDir(), "a directory path");
        }
        if (p.any()) {
            return OFF; // never used: the whole file is refused
        }
        SemanticSettings d = SemanticSettings.defaults();
        SemanticSettings settings = new SemanticSettings(SemanticMode.ON, d.retrievalFloor(), s.threshold(), s.thresholdFloor(),
                s.errorBound(), s.candidates(), s.entryTtl(), d.hnswAbove(), s.maxEntries(), s.maxBytes().bytes());
        return new SemanticRules(mode, List.copyOf(models), settings, s.queue(), s.maxWait(), s.modelThreads(), s.tableDir(),
                List.copyOf(thresholds));
    }

    private static void range(CacheRules.Problems p, String key, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            p.add(key, v, "from " + min + " to " + max);
        }
    }
}
