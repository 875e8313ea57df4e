package dev.hungarian4j;

/** Shared input checks whose messages name the field and indices, as contract.md's bad-input rules ask. */
final class Validation {
    private static final String[] COORD = {"cx", "cy", "width", "height"};

    private Validation() {
    }

    /**
     * Checks {@code (cx,cy,w,h)} boxes: finite, width and height {@code >= 0}.
     *
     * @param rowsPerGroup boxes per outer index (Q for predictions; 0 for a flat list)
     */
    static void checkBoxes(float[] boxes, String field, int rowsPerGroup) {
        for (int i = 0; i < boxes.length; i++) {
            float v = boxes[i];
            int c = i & 3;
            if (!Float.isFinite(v) || (c >= 2 && v < 0)) {
                int row = i >> 2;
                String where = rowsPerGroup > 0
                        ? field + "[" + row / rowsPerGroup + "][" + row % rowsPerGroup + "][" + c + "]"
                        : field + "[" + row + "][" + c + "]";
                throw new InvalidInputException(where, "is " + v + (Float.isFinite(v)
                        ? "; " + COORD[c] + " must be >= 0" : "; must be finite"));
            }
        }
    }
}
