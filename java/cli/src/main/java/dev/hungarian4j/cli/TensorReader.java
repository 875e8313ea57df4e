package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonToken;
import dev.hungarian4j.InvalidInputException;

/**
 * Reads a {@code B x Q x N} nested JSON array of numbers ({@code pred_logits}, {@code pred_boxes}) straight into a
 * float buffer, without a tree model. The first image fixes Q and the first row fixes N; every later image and
 * row must agree, otherwise the error names the ragged one, e.g. {@code pred_logits[1][3] has 4 values; expected 5}.
 * Every number must be finite in float32.
 */
final class TensorReader {
    private TensorReader() {
    }

    /**
     * Reads the array whose START token is current.
     *
     * @param src      the parser, positioned on the value of {@code field}
     * @param field    the field name for messages
     * @param exactRow the required row length (4 for boxes), or 0 for "any, but at least 1" (logits: K+1 >= 2 is
     *                 checked once the loss class is known, since focal logits have K >= 1)
     */
    static Tensor3 read(JsonSource src, String field, int exactRow) {
        if (src.current() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(field, "is " + src.describe() + "; expected an array of images (B x Q x "
                    + (exactRow > 0 ? exactRow : "(K+1)") + " numbers)");
        }
        FloatList data = new FloatList(field);
        int rows = -1;
        int width = -1;
        int b = 0;
        JsonToken t;
        while ((t = src.next()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_ARRAY) {
                throw new InvalidInputException(field + "[" + b + "]", "is " + src.describe()
                        + "; expected an array of Q rows");
            }
            int q = 0;
            while ((t = src.next()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_ARRAY) {
                    throw new InvalidInputException(field + "[" + b + "][" + q + "]", "is " + src.describe()
                            + "; expected an array of " + (exactRow > 0 ? exactRow : "K+1") + " numbers");
                }
                int k = 0;
                while ((t = src.next()) != JsonToken.END_ARRAY) {
                    if (!src.isNumber()) {
                        throw new InvalidInputException(field + "[" + b + "][" + q + "][" + k + "]",
                                "is " + src.describe() + "; expected a number");
                    }
                    float v = src.floatValue();
                    if (!Float.isFinite(v)) {
                        throw new InvalidInputException(field + "[" + b + "][" + q + "][" + k + "]",
                                "is " + Messages.clip(src.text()) + "; not finite in float32");
                    }
                    data.add(v);
                    k++;
                }
                if (width < 0) {
                    checkFirstRow(field + "[" + b + "][" + q + "]", k, exactRow);
                    width = k;
                } else if (k != width) {
                    throw new InvalidInputException(field + "[" + b + "][" + q + "]",
                            "has " + k + " values; expected " + width);
                }
                q++;
            }
            if (rows < 0) {
                if (q < 1) {
                    throw new InvalidInputException(field + "[" + b + "]", "has 0 rows; Q must be >= 1");
                }
                rows = q;
            } else if (q != rows) {
                throw new InvalidInputException(field + "[" + b + "]", "has " + q + " rows; expected " + rows);
            }
            b++;
        }
        if (b < 1) {
            throw new InvalidInputException(field, "has 0 images; B must be >= 1");
        }
        return new Tensor3(b, rows, width, data.toArray());
    }

    private static void checkFirstRow(String where, int k, int exactRow) {
        if (exactRow > 0 && k != exactRow) {
            throw new InvalidInputException(where, "has " + k + (k == 1 ? " value" : " values") + "; expected "
                    + exactRow + " (cx, cy, w, h)");
        }
        if (exactRow == 0 && k < 1) {
            throw new InvalidInputException(where, "has 0 values; expected at least one logit");
        }
    }
}
