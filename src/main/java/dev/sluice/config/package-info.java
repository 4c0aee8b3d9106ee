/**
 * Configuration: one YAML file ({@code sluice.yaml}) bound to immutable records, with {@code ${ENV}}
 * substitution and validation whose messages name the file, the key and the expected value.
 * Every setting has a default, so Sluice starts with no file at all.
 */
package dev.sluice.config;
