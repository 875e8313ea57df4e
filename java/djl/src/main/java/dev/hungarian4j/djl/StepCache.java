package dev.hungarian4j.djl;

import java.util.ArrayDeque;

/**
 * The last few criterion results, keyed by the identity (not the contents) of the prediction and label arrays:
 * DJL evaluates a step's loss again for its accumulators, and the term evaluators ask too. Not thread-safe.
 */
final class StepCache {
    private record Entry(Object logits, Object boxes, Object labels, DetrLossOutput out) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    StepCache(int capacity) {
        this.capacity = capacity;
    }

    DetrLossOutput get(Object logits, Object boxes, Object labels) {
        for (Entry e : entries) {
            if (e.logits == logits && e.boxes == boxes && e.labels == labels) {
                return e.out;
            }
        }
        return null;
    }

    void put(Object logits, Object boxes, Object labels, DetrLossOutput out) {
        if (entries.size() == capacity) {
            entries.removeLast();
        }
        entries.addFirst(new Entry(logits, boxes, labels, out));
    }

    void clear() {
        entries.clear();
    }
}
