package dev.sluice.cli;

/** A command that cannot do what was asked, with a message for the operator (printed as is, exit 2). */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
