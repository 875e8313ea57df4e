package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonToken;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the input JSON of contract.md section 2 with Jackson's streaming parser into flat primitive arrays and
 * builds a {@link Batch} and {@link HungarianConfig}. No tree model is built, so a batch of tens of megabytes
 * parses in the default heap. Every rule of the contract's "Bad input" section is enforced; each violation is an
 * {@link InvalidInputException} naming the field and its indices.
 *
 * <p>Top-level keys: {@code pred_logits} (B x Q x (K+1), or B x Q x K with the focal loss), {@code pred_boxes}
 * (B x Q x 4), {@code targets} (B objects), the optional {@code config} and the optional {@code aux_outputs}
 * (contract.md section 3: a list of {@code {"pred_logits", "pred_boxes"}} objects shaped like the top level). Any
 * other key is an error, as is a duplicate key anywhere, data after the object, or truncated input.
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
        List<Tensor3[]> aux = null;
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
                case "aux_outputs":
                    aux = readAux(src);
                    break;
                default:
                    throw new InvalidInputException(Messages.key(key), "is not a known top-level key; expected "
                            + "pred_logits, pred_boxes, targets, config and aux_outputs");
            }
        }
        if (src.next() != null) {
            throw new InvalidInputException("input", "has data after the JSON object");
        }
        return new ParsedInput(assemble(logits, boxes, targets, sawTargets, config, aux), config, aux != null);
    }

    /** {@code aux_outputs}: a list of objects with exactly the keys {@code pred_logits} and {@code pred_boxes}. */
    private static List<Tensor3[]> readAux(JsonSource src) {
        if (src.current() != JsonToken.START_ARRAY) {
            throw new InvalidInputException("aux_outputs", "is " + src.describe()
                    + "; expected a list of {\"pred_logits\", \"pred_boxes\"} objects");
        }
        List<Tensor3[]> layers = new ArrayList<>();
        JsonToken t;
        while ((t = src.next()) != JsonToken.END_ARRAY) {
            String at = "aux_outputs[" + layers.size() + "]";
            if (t != JsonToken.START_OBJECT) {
                throw new InvalidInputException(at, "is " + src.describe()
                        + "; expected an object with pred_logits and pred_boxes");
            }
            Tensor3[] layer = new Tensor3[2];
            while (src.next() == JsonToken.FIELD_NAME) {
                String key = src.name();
                src.next();
                switch (key) {
                    case "pred_logits":
                        layer[0] = TensorReader.read(src, at + ".pred_logits", 0);
                        break;
                    case "pred_boxes":
                        layer[1] = TensorReader.read(src, at + ".pred_boxes", 4);
                        break;
                    default:
                        throw new InvalidInputException(at + "." + Messages.key(key),
                                "is not a known key of an aux layer; expected pred_logits and pred_boxes");
                }
            }
            if (layer[0] == null) {
                throw new InvalidInputException(at + ".pred_logits", "is missing");
            }
            if (layer[1] == null) {
                throw new InvalidInputException(at + ".pred_boxes", "is missing");
            }
            layers.add(layer);
        }
        return layers;
    }

    private static Batch assemble(Tensor3 logits, Tensor3 boxes, Targets targets, boolean sawTargets,
            HungarianConfig config, List<Tensor3[]> aux) {
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
        LossClass head = config.lossClass();
        if (head == LossClass.CE && logits.d2() < 2) {
            throw new InvalidInputException("pred_logits[0][0]", "has " + logits.d2()
                    + " value; K+1 must be >= 2 (K classes plus no-object)");
        }
        Predictions p = new Predictions(logits.d0(), logits.d1(), logits.d2(), logits.data(), boxes.data(), head);
        List<Predictions> layers = new ArrayList<>();
        if (aux != null) {
            for (int l = 0; l < aux.size(); l++) {
                String at = "aux_outputs[" + l + "]";
                Tensor3 al = aux.get(l)[0];
                Tensor3 ab = aux.get(l)[1];
                if (al.d0() != logits.d0() || al.d1() != logits.d1() || al.d2() != logits.d2()) {
                    throw new InvalidInputException(at + ".pred_logits", "has shape [" + al.d0() + "][" + al.d1()
                            + "][" + al.d2() + "]; the top-level pred_logits has [" + logits.d0() + "]["
                            + logits.d1() + "][" + logits.d2() + "]");
                }
                if (ab.d0() != boxes.d0() || ab.d1() != boxes.d1()) {
                    throw new InvalidInputException(at + ".pred_boxes", "has shape [" + ab.d0() + "][" + ab.d1()
                            + "][4]; the top-level pred_boxes has [" + boxes.d0() + "][" + boxes.d1() + "][4]");
                }
                try {
                    layers.add(new Predictions(al.d0(), al.d1(), al.d2(), al.data(), ab.data(), head));
                } catch (InvalidInputException e) {
                    throw e.withFieldPrefix(at + ".");  // name the field in the input document
                }
            }
        }
        Batch batch = new Batch(p, targets, layers);
        config.check(batch);
        return batch;
    }
}
