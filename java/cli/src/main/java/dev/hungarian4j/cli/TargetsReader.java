package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.Targets;

/**
 * Reads {@code "targets": [{"labels": [...], "boxes": [[cx,cy,w,h], ...]}, ...]} into CSR arrays. Other keys of
 * a target object (COCO's {@code image_id}, {@code area}, ...) are skipped; {@code labels} and {@code boxes} are
 * required, labels must be JSON integers and boxes rows of 4 finite float32 numbers.
 */
final class TargetsReader {
    private final JsonSource src;
    private final IntList offsets = new IntList("targets");
    private final IntList labels = new IntList("targets");
    private final FloatList boxes = new FloatList("targets");

    private TargetsReader(JsonSource src) {
        this.src = src;
        offsets.add(0);
    }

    /**
     * The images' targets as CSR arrays (structure and box values checked; labels are checked against K by
     * {@link dev.hungarian4j.Batch}).
     *
     * @param src the parser positioned on the value of {@code targets}
     * @return the targets, or null when the list is empty (the caller reports it against B)
     */
    static Targets read(JsonSource src) {
        return new TargetsReader(src).readAll();
    }

    private Targets readAll() {
        if (src.current() != JsonToken.START_ARRAY) {
            throw new InvalidInputException("targets", "is " + src.describe()
                    + "; expected an array of {\"labels\", \"boxes\"} objects, one per image");
        }
        int b = 0;
        JsonToken t;
        while ((t = src.next()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new InvalidInputException("targets[" + b + "]", "is " + src.describe()
                        + "; expected an object with \"labels\" and \"boxes\"");
            }
            readImage(b);
            b++;
        }
        if (b == 0) {
            return null;
        }
        return new Targets(offsets.toArray(), labels.toArray(), boxes.toArray());
    }

    private void readImage(int b) {
        String base = "targets[" + b + "]";
        int numLabels = -1;
        int numBoxes = -1;
        while (src.next() == JsonToken.FIELD_NAME) {
            String key = src.name();
            src.next();
            if ("labels".equals(key)) {
                numLabels = readLabels(base + ".labels");
            } else if ("boxes".equals(key)) {
                numBoxes = readBoxes(base + ".boxes");
            } else {
                src.skipValue();
            }
        }
        if (numLabels < 0) {
            throw new InvalidInputException(base + ".labels", "is missing; every target object needs labels and boxes");
        }
        if (numBoxes < 0) {
            throw new InvalidInputException(base + ".boxes", "is missing; every target object needs labels and boxes");
        }
        if (numLabels != numBoxes) {
            throw new InvalidInputException(base + ".boxes", "has " + numBoxes + " boxes; labels has " + numLabels);
        }
        offsets.add(labels.size());
    }

    private int readLabels(String field) {
        if (src.current() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(field, "is " + src.describe() + "; expected an array of integer labels");
        }
        int i = 0;
        JsonToken t;
        while ((t = src.next()) != JsonToken.END_ARRAY) {
            String where = field + "[" + i + "]";
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                throw new InvalidInputException(where, "is " + Messages.clip(src.text())
                        + "; labels must be JSON integers");
            }
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new InvalidInputException(where, "is " + src.describe() + "; expected an integer label");
            }
            if (src.numberType() != JsonParser.NumberType.INT) {
                throw new InvalidInputException(where, "is " + Messages.clip(src.text())
                        + "; out of range for a label in [0, K)");
            }
            labels.add(src.intValue());
            i++;
        }
        return i;
    }

    private int readBoxes(String field) {
        if (src.current() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(field, "is " + src.describe()
                    + "; expected an array of [cx, cy, w, h] boxes");
        }
        int i = 0;
        JsonToken t;
        while ((t = src.next()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_ARRAY) {
                throw new InvalidInputException(field + "[" + i + "]", "is " + src.describe()
                        + "; expected an array of 4 numbers (cx, cy, w, h)");
            }
            int c = 0;
            while ((t = src.next()) != JsonToken.END_ARRAY) {
                String where = field + "[" + i + "][" + c + "]";
                if (!src.isNumber()) {
                    throw new InvalidInputException(where, "is " + src.describe() + "; expected a number");
                }
                if (c >= 4) {
                    throw new InvalidInputException(field + "[" + i + "]", "has more than 4 values; expected 4 (cx, cy, w, h)");
                }
                float v = src.floatValue();
                if (!Float.isFinite(v)) {
                    throw new InvalidInputException(where, "is " + Messages.clip(src.text())
                            + "; not finite in float32");
                }
                boxes.add(v);
                c++;
            }
            if (c != 4) {
                throw new InvalidInputException(field + "[" + i + "]", "has " + c + (c == 1 ? " value" : " values")
                        + "; expected 4 (cx, cy, w, h)");
            }
            i++;
        }
        return i;
    }
}
