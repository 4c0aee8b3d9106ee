package dev.sluice.guard.engine;

import java.util.Arrays;

/** A growable list of ints without boxing, reused across scans by clearing. */
public final class IntArray {
    private int[] data;
    private int size;

    public IntArray(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    /** The backing array, valid in {@code [0, size())}. */
    public int[] array() {
        return data;
    }

    public int get(int i) {
        return data[i];
    }

    public void set(int i, int v) {
        data[i] = v;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** Sets element {@code i}, growing with {@code fill} values as needed. */
    public void put(int i, int v, int fill) {
        while (size <= i) {
            add(fill);
        }
        data[i] = v;
    }

    /** Index of the last element {@code <= key} in {@code [from, to)} of a sorted array, or {@code from - 1}. */
    public int floor(int from, int to, int key) {
        int lo = from;
        int hi = to - 1;
        int found = from - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (data[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
