/**
 * Semantic entries shared across replicas through plain Redis (vectors in Redis, each replica
 * indexing them locally); the choice is explained in
 * {@link dev.sluice.cache.semantic.redis.RedisVectorShare}.
 */
package dev.sluice.cache.semantic.redis;
