package dev.sluice.cache.semantic;

/** Per route: never match by meaning, match but only record would-be hits, or serve matches. */
public enum SemanticMode {
    OFF, SHADOW, ON
}
