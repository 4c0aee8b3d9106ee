/**
 * The code-identity guard that sits on top of similarity: a semantic hit also requires the new
 * question and the stored one to name exactly the same identifiers, paths, numbers, versions,
 * quoted strings and flags, and to negate the same number of times ({@link
 * dev.sluice.cache.semantic.guard.CodeIdentity}).
 */
package dev.sluice.cache.semantic.guard;
