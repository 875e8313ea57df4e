package dev.hungarian4j.pytorch;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The loss tensor handed to the caller: its value is the criterion's total, and its backward pass gives the
 * predictions exactly the gradients the criterion wrote. With {@code s = <logits, G_logits> + <boxes, G_boxes>} (dot
 * products of the flat views: no product tensor is written), {@code loss = s - detach(s) + value}: {@code s - s} is 0
 * exactly in float, and {@code d loss / d logits = G_logits} exactly. Predictions that require no gradient get the
 * plain value. Every temporary is closed here, so the only reference to the gradients' memory that outlives the call
 * is the one autograd saves for the backward pass.
 */
final class Surrogate {
    private Surrogate() {
    }

    /** The loss with a host value (the CPU route). */
    static Tensor wire(DecoderTensors p, Tensor[] grads, double value) {
        try (Scalar v = new Scalar(value)) {
            if (!requiresGrad(p)) {
                Tensor t = TensorOps.empty(new long[0], TensorOps.FLOAT, p.device());
                t.fill_(v); // returns t itself (a reference): nothing to close
                return t;
            }
            try (Tensor zero = zero(p, grads)) {
                return zero.add(v);
            }
        }
    }

    /** The loss with a value that is a 0-dim float tensor on the predictions' device (no host synchronisation). */
    static Tensor wire(DecoderTensors p, Tensor[] grads, Tensor value) {
        if (!requiresGrad(p)) {
            return value;
        }
        try (Tensor zero = zero(p, grads)) {
            return zero.add(value);
        }
    }

    private static boolean requiresGrad(DecoderTensors p) {
        return p.logits.requires_grad() || p.boxes.requires_grad();
    }

    /** {@code s - detach(s)}: 0, with gradient G. */
    private static Tensor zero(DecoderTensors p, Tensor[] grads) {
        try (Tensor fl = p.logits.reshape(-1); Tensor gl = grads[0].reshape(-1); Tensor dl = fl.dot(gl);
                Tensor fb = p.boxes.reshape(-1); Tensor gb = grads[1].reshape(-1); Tensor db = fb.dot(gb);
                Tensor s = dl.add(db); Tensor sd = s.detach()) {
            return s.sub(sd);
        }
    }
}
