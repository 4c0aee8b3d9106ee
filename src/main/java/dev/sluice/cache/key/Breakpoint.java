package dev.sluice.cache.key;

/**
 * A {@code cache_control} marker of the request, located in its body bytes: where the cached prefix
 * ends and where the marker object sits (for an edit that changes its TTL).
 *
 * @param section       where it is: {@code tools}, {@code system}, {@code messages} or {@code top} (automatic caching)
 * @param prefixEnd     body offset just past the block the marker is on: the provider caches everything before it
 * @param controlStart  body offset of the marker object's opening brace
 * @param controlEnd    body offset just past its closing brace
 * @param ttlStart      body offset of the {@code ttl} value's first content byte, or -1 when there is none
 * @param ttlEnd        end of that content, or -1
 * @param oneHour       true when the marker asks for a 1-hour TTL
 */
public record Breakpoint(String section, int prefixEnd, int controlStart, int controlEnd, int ttlStart, int ttlEnd,
                         boolean oneHour) {
}
