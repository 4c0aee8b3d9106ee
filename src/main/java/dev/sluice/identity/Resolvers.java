package dev.sluice.identity;

import dev.sluice.authenticate.KeyResolver;
import dev.sluice.pipeline.Identity;
import java.util.List;

/** Combining key resolvers, so configured static keys and issued keys both work. */
public final class Resolvers {
    private Resolvers() {
    }

    /**
     * Asks each resolver in turn and takes the first identity found. Empty only when every resolver is empty,
     * so the gateway stays in open mode only while there are neither static nor issued keys.
     */
    public static KeyResolver firstOf(KeyResolver... resolvers) {
        List<KeyResolver> all = List.of(resolvers);
        return new KeyResolver() {
            @Override
            public Identity resolve(String presentedKey) {
                for (KeyResolver r : all) {
                    Identity who = r.resolve(presentedKey);
                    if (who != null) {
                        return who;
                    }
                }
                return null;
            }

            @Override
            public boolean isEmpty() {
                for (KeyResolver r : all) { // asked per request: a loop, not a stream pipeline
                    if (!r.isEmpty()) {
                        return false;
                    }
                }
                return true;
            }
        };
    }
}
