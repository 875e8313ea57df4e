package dev.hungarian4j.pytorch;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.nio.Buffer;

/** The few libtorch calls the adapter makes to create tensors and to address their memory. */
final class TensorOps {
    static final torch.ScalarType INT = torch.ScalarType.Int;
    static final torch.ScalarType FLOAT = torch.ScalarType.Float;
    static final torch.ScalarType DOUBLE = torch.ScalarType.Double;

    private TensorOps() {
    }

    /**
     * A tensor's dtype as a constant of the enum: JavaCPP returns native enum values as new instances, which only
     * {@code intern()} makes comparable with {@code ==}.
     */
    static torch.ScalarType dtype(Tensor t) {
        return t.scalar_type().intern();
    }

    /** A new uninitialized contiguous tensor of that shape, dtype and device. */
    static Tensor empty(long[] shape, torch.ScalarType dtype, Device device) {
        try (TensorOptions o = new TensorOptions(dtype); DeviceOptional d = new DeviceOptional(device);
                TensorOptions od = o.device(d)) {
            return torch.empty(shape, od, null);
        }
    }

    /** The parts concatenated along dim 0 on their device, converted to {@code dtype}, contiguous. */
    static Tensor concatenate(Tensor[] parts, torch.ScalarType dtype, Device device) {
        try (TensorVector v = new TensorVector(parts); Tensor cat = torch.cat(v)) {
            return cat.to(device, dtype, false, false, null).contiguous();
        }
    }

    /**
     * {@code n} values of a direct host buffer (from position 0) as a tensor of that shape on {@code device}: a
     * non-blocking copy for a CUDA device (the host buffer may be reused when the call returns), a copy on the CPU.
     */
    static Tensor upload(Buffer host, int n, long[] shape, Device device) {
        torch.ScalarType dtype = host instanceof java.nio.IntBuffer ? INT : FLOAT;
        try (Pointer p = new Pointer(host); TensorOptions o = new TensorOptions(dtype);
                Tensor view = torch.from_blob(p, shape, o)) {
            return view.to(device, dtype, true, true, null);
        }
    }

    /** The address of a tensor's first element (host or device). */
    static long address(Tensor t) {
        try (Pointer p = t.const_data_ptr()) {
            return p.address();
        }
    }

    /** A pointer to an address, for the device-pointer API (which adds no offset of its own). */
    static Pointer at(long address) {
        return new Address(address);
    }

    /** A plain pointer at a given address, deallocating nothing. */
    private static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }
}
