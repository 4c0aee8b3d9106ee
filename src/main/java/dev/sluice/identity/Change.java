package dev.sluice.identity;

/**
 * A new value for a field that may also be cleared: a null {@code Change} leaves the field alone,
 * {@code Change.to(null)} clears it.
 */
public record Change<T>(T value) {
    public static <T> Change<T> to(T value) {
        return new Change<>(value);
    }
}
