package dev.sluice.cache.stage;

import dev.sluice.config.CacheConfig;
import dev.sluice.config.SluiceConfig;
import java.lang.reflect.RecordComponent;
import java.util.Objects;

/**
 * Whether two configurations differ in nothing but {@code cache.semantic}. Section by section through the records'
 * own components (so a section added later is compared too, without this class knowing it), by value.
 */
final class SemanticOnly {
    private SemanticOnly() {
    }

    /** True when {@code a} and {@code b} differ at most in {@code cache.semantic}: everything outside it is equal. */
    static boolean changed(SluiceConfig a, SluiceConfig b) {
        return sameExcept(SluiceConfig.class, a, b, "cache") && sameExcept(CacheConfig.class, a.cache(), b.cache(), "semantic");
    }

    private static <R extends Record> boolean sameExcept(Class<R> type, R a, R b, String skipped) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(skipped)) {
                continue;
            }
            try {
                if (!Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                    return false;
                }
            } catch (ReflectiveOperationException e) {
                return false; // cannot tell: treat as a wider change (no automatic rollback), the safe side
            }
        }
        return true;
    }
}
