package dev.sluice;

import dev.sluice.cli.SluiceCommand;

/** Entry point: the command line decides what runs ({@code serve}, {@code sim}, {@code demo}, ...). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(SluiceCommand.commandLine().execute(args));
    }
}
