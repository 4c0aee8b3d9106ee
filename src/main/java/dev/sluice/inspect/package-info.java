/**
 * Inspect: reads each request body once, where it arrives, bounded in size, time and total memory,
 * and has the client protocol check it and read what the pipeline needs in one streaming pass.
 */
package dev.sluice.inspect;
