/**
 * Stream back: relays the upstream's answer to the client. {@link dev.sluice.stream.StreamRelay}
 * passes server-sent events through one by one as they arrive (flush per upstream read, pause the
 * upstream when the client is slow, pings during silences, an in-band error when the upstream
 * breaks); {@link dev.sluice.stream.BodyRelay} does the same for a whole JSON reply.
 */
package dev.sluice.stream;
