/**
 * The response side: an answer's stream scanned as its events arrive (the cache's write guard and optional
 * scanning of what the client receives). Whole answer bodies go through {@link dev.sluice.guard.GuardScanner#scanAnswer}.
 */
package dev.sluice.guard.answer;
