package dev.sluice.config;

/** A configuration problem, worded for the operator: which file, which key, what was expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
