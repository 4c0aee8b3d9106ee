package dev.sluice.record;

/**
 * Where things sit in an in-flight slot, for each version of the slot file. The current version is written;
 * the older ones are only read once, at the start after an upgrade, so attempts a crash left in them are billed.
 *
 * <ul>
 *   <li>{@link #V1} ({@code inflight.slots}): 2 KB slots, a state byte, then one record.</li>
 *   <li>{@link #V2} ({@code inflight-v2.slots}): 4 KB slots, a state byte, then two halves (double buffered).</li>
 *   <li>{@link #V3} ({@code inflight-v3.slots}): as V2, with the output relayed so far between the state byte and
 *       the halves: payload bytes as a long at {@link #BYTES_AT}, deltas as a long at {@link #DELTAS_AT}.</li>
 * </ul>
 *
 * @param header where the first half starts
 * @param halves 1 for a single record per slot, 2 for double-buffered records
 * @param counted whether the slot carries the relayed counts
 */
record SlotLayout(String fileName, int slotBytes, int header, int halves, boolean counted) {
    static final int BYTES_AT = 8;
    static final int DELTAS_AT = 16;

    static final SlotLayout V1 = new SlotLayout("inflight.slots", 2048, 1, 1, false);
    static final SlotLayout V2 = new SlotLayout("inflight-v2.slots", 4096, 1, 2, false);
    static final SlotLayout V3 = new SlotLayout("inflight-v3.slots", 4096, 24, 2, true);

    /** Bytes of one half: where the second half starts, relative to the first (V1 reads as one half). */
    int half() {
        return halves == 1 ? slotBytes - header : (slotBytes - header) / 2;
    }

    /** The longest record encoding a half holds (after its four-byte length). */
    int maxRecord() {
        return half() - 4;
    }
}
