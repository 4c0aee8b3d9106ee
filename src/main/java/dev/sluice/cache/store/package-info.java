/**
 * Where entries live: {@link dev.sluice.cache.store.MemoryStore} (Caffeine, bounded by bytes) or
 * {@link dev.sluice.cache.store.RedisStore} (shared by replicas). Keys always begin with the
 * organization; busts raise generation counters, so nothing stored before a bust is served after it.
 */
package dev.sluice.cache.store;
