package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonToken;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;

import java.io.InputStream;

/**
 * Reads the input JSON of CONTRACT.md section 2 with Jackson's streaming parser into flat primitive arrays and
 * builds a {@link Batch} and {@link HungarianConfig}. No tree model is built, so a batch of tens of megabytes
 * parses in the default heap. Every rule of the contract's "Bad input" section is enforced; each violation is an
 * {@link InvalidInputException} naming the field and its indices.
 *
 * <p>Top-level keys: {@code pred_logits} (B x Q x (K+1)), {@code pred_boxes} (B x Q x 4), {@code targets} (B
 * objects) and the optional {@code config}. Keys of CONTRACT.md section 3 are rejected by {@link UnsupportedKeys}
 * until implemented; any other key is an error, as is a duplicate key anywhere, data after the object, or
 * truncated input.
 */
public final class InputReader {
    private InputReader() {
    }

    /**
     * Parses and validates one input document.
     *
     * @param in the JSON text (not closed)
     * @return the batch and configuration
     * @throws InvalidInputException for anything malformed
     */
    public static ParsedInput read(InputStream in) {
        try (JsonSource src = new JsonSource(in)) {
            return read(src);
        }
    }

    private static ParsedInput read(JsonSource src) {
        JsonToken t = src.next();
        if (t == null) {
            throw new InvalidInputException("input", "is empty; expected a JSON object");
        }
        if (t != JsonToken.START_OBJECT) {
            throw new InvalidInputException("input", "is " + src.describe() + "; expected a JSON object");
        }
        Tensor3 logits = null;
        Tensor3 boxes = null;
        Targets targets = null;
        boolean sawTargets = false;
        HungarianConfig config = HungarianConfig.DEFAULTS;
        while ((t = src.next()) == JsonToken.FIELD_NAME) {
            String key = src.name();
            src.next();
            switch (key) {
                case "pred_logits":
                    logits = TensorReader.read(src, "pred_logits", 0);
                    break;
                case "pred_boxes":
                    boxes = TensorReader.read(src, "pred_boxes", 4);
                    break;
                case "targets":
                    targets = TargetsReader.read(src);
                    sawTargets = true;
                    break;
                case "config":
                    config = ConfigReader.read(src);
                    break;
                default:
                    UnsupportedKeys.checkTopLevel(key);
                    throw new InvalidInputException(Messages.key(key),
                            "is not a known top-level key; expected pred_logits, pred_boxes, targets and config");
            }
        }
        if (src.next() != null) {
            throw new InvalidInputException("input", "has data after the JSON object");
        }
        return new ParsedInput(assemble(logits, boxes, targets, sawTargets), config);
    }

    private static Batch assemble(Tensor3 logits, Tensor3 boxes, Targets targets, boolean sawTargets) {
        if (logits == null) {
            throw new InvalidInputException("pred_logits", "is missing");
        }
        if (boxes == null) {
            throw new InvalidInputException("pred_boxes", "is missing");
        }
        if (!sawTargets) {
            throw new InvalidInputException("targets", "is missing");
        }
        if (boxes.d0() != logits.d0()) {
            throw new InvalidInputException("pred_boxes", "has " + boxes.d0() + " images; pred_logits has "
                    + logits.d0());
        }
        if (boxes.d1() != logits.d1()) {
            throw new InvalidInputException("pred_boxes", "has " + boxes.d1() + " queries per image; pred_logits has "
                    + logits.d1());
        }
        int images = targets == null ? 0 : targets.batch();
        if (images != logits.d0()) {
            throw new InvalidInputException("targets", "has " + images + " images; pred_logits has " + logits.d0());
        }
        Predictions p = new Predictions(logits.d0(), logits.d1(), logits.d2(), logits.data(), boxes.data());
        return new Batch(p, targets);
    }
}
