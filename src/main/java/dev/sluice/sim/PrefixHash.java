package dev.sluice.sim;

/** 128 bits of the SHA-256 of a prompt prefix: enough to tell prefixes apart, small as a cache key. */
record PrefixHash(long high, long low) {

    static PrefixHash of(byte[] sha256) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (sha256[i] & 0xFF);
            low = (low << 8) | (sha256[i + 8] & 0xFF);
        }
        return new PrefixHash(high, low);
    }
}
