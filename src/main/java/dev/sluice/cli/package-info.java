/** The command line ({@code sluice serve|sim|demo|config|report|...}), built with picocli. */
package dev.sluice.cli;
