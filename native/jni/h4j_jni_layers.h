// hungarian4j — JNI glue compiled into the JavaCPP library only (NativeLibrary's @Platform), not
// into libhungarian4j: h4j_cpu_forward_layers_v on Java arrays taken in place, one float[] per
// decoder layer. JavaCPP marshals one array per parameter, not an array of arrays, so this takes
// the raw JNI objects: it resolves every layer's array first, then takes them all with
// GetPrimitiveArrayCritical (no other JNI call until they are released, as JNI requires), calls
// the pipeline, and releases them. Only for JVMs whose collector pins arrays in critical regions
// (InPlaceArrays: JDK 22+ with G1); the Java caller has checked every array's presence and length.
// Writes a status code into status_out[0] (int[1]: JavaCPP 1.5.14 generates no raw method with a
// primitive return); never throws, never leaves a pending Java exception it did not find.
#ifndef HUNGARIAN4J_JNI_LAYERS_H
#define HUNGARIAN4J_JNI_LAYERS_H

#include <jni.h>

#include <new>
#include <vector>

#include "hungarian4j/hungarian4j.h"

namespace h4j_jni {

// The arrays of one call: resolved (local references), then pinned, then released.
struct Pinned {
    JNIEnv* env;
    std::vector<jarray> arrays;
    std::vector<void*> ptrs;
    std::vector<bool> output;  // written by the call: released with 0 (copied back if copied)

    // Pins every array; false (all released again) when the JVM could not give one.
    bool pin() {
        ptrs.assign(arrays.size(), nullptr);
        for (std::size_t i = 0; i < arrays.size(); ++i) {
            if (arrays[i] == nullptr) continue;
            ptrs[i] = env->GetPrimitiveArrayCritical(arrays[i], nullptr);
            if (ptrs[i] == nullptr) {
                release(i);
                return false;
            }
        }
        return true;
    }
    // Releases the first n pinned arrays, last pinned first.
    void release(std::size_t n) {
        for (std::size_t i = n; i-- > 0;)
            if (ptrs[i] != nullptr)
                env->ReleasePrimitiveArrayCritical(arrays[i], ptrs[i], output[i] ? 0 : JNI_ABORT);
    }
    std::size_t add(jobject a, bool out) {
        arrays.push_back(static_cast<jarray>(a));
        output.push_back(out);
        return arrays.size() - 1;
    }
    // Layer l's array of a float[][]; false when the JVM raised an exception (left pending).
    bool add_element(jobject outer, jint l, bool out) {
        jobject a = env->GetObjectArrayElement(static_cast<jobjectArray>(outer), l);
        if (env->ExceptionCheck()) return false;
        add(a, out);
        return true;
    }
};

}  // namespace h4j_jni

// logits, boxes, grad_logits, grad_boxes: float[][] of L arrays (the gradients both null or
// neither); the rest as h4j_cpu_forward_layers_v takes them, as Java arrays.
inline int h4j_jni_forward_layers_call(JNIEnv* env, jint L, jint B, jint Q, jint C,
                                       jobject logits, jobject boxes, jobject offsets,
                                       jobject labels, jobject tboxes, jobject cfg,
                                       jobject assign_out, jobject matching_cost_out,
                                       jobject terms_out, jobject grad_logits, jobject grad_boxes) {
    if (L < 1 || logits == nullptr || boxes == nullptr || offsets == nullptr || labels == nullptr ||
        tboxes == nullptr || cfg == nullptr || assign_out == nullptr || terms_out == nullptr ||
        (grad_logits == nullptr) != (grad_boxes == nullptr))
        return H4J_ERR_INVALID_ARG;  // the Java caller checks all of these first
    const bool grads = grad_logits != nullptr;
    if (env->PushLocalFrame(4 * L + 16) != 0) return H4J_ERR_OUT_OF_MEMORY;
    int rc = H4J_OK;
    try {
        h4j_jni::Pinned p{env, {}, {}, {}};
        const std::size_t first = p.arrays.size();
        bool ok = true;
        for (jint l = 0; ok && l < L; ++l) ok = p.add_element(logits, l, false);
        for (jint l = 0; ok && l < L; ++l) ok = p.add_element(boxes, l, false);
        for (jint l = 0; ok && grads && l < L; ++l) ok = p.add_element(grad_logits, l, true);
        for (jint l = 0; ok && grads && l < L; ++l) ok = p.add_element(grad_boxes, l, true);
        const std::size_t small = p.arrays.size();
        p.add(offsets, false);
        p.add(labels, false);
        p.add(tboxes, false);
        p.add(cfg, false);
        p.add(assign_out, true);
        p.add(matching_cost_out, true);
        p.add(terms_out, true);
        std::vector<const float*> lp(L), bp(L);
        std::vector<float*> glp(grads ? L : 0), gbp(grads ? L : 0);
        if (!ok) {
            rc = H4J_ERR_INVALID_ARG;  // an index outside the outer array: pending exception
        } else if (!p.pin()) {
            rc = H4J_ERR_OUT_OF_MEMORY;
        } else {
            for (jint l = 0; l < L; ++l) {
                lp[l] = static_cast<const float*>(p.ptrs[first + l]);
                bp[l] = static_cast<const float*>(p.ptrs[first + L + l]);
                if (grads) {
                    glp[l] = static_cast<float*>(p.ptrs[first + 2 * L + l]);
                    gbp[l] = static_cast<float*>(p.ptrs[first + 3 * L + l]);
                }
            }
            void* const* s = p.ptrs.data() + small;
            rc = h4j_cpu_forward_layers_v(
                L, B, Q, C, lp.data(), bp.data(), static_cast<const int*>(s[0]),
                static_cast<const int*>(s[1]), static_cast<const float*>(s[2]),
                static_cast<const double*>(s[3]), static_cast<int*>(s[4]),
                static_cast<double*>(s[5]), static_cast<double*>(s[6]),
                grads ? glp.data() : nullptr, grads ? gbp.data() : nullptr);
            p.release(p.arrays.size());
        }
    } catch (const std::bad_alloc&) {
        rc = H4J_ERR_OUT_OF_MEMORY;
    }
    env->PopLocalFrame(nullptr);
    return rc;
}

inline void h4j_jni_forward_layers_pinned(JNIEnv* env, jclass, jint L, jint B, jint Q, jint C,
                                          jobject logits, jobject boxes, jobject offsets,
                                          jobject labels, jobject tboxes, jobject cfg,
                                          jobject assign_out, jobject matching_cost_out,
                                          jobject terms_out, jobject grad_logits,
                                          jobject grad_boxes, jobject status_out) {
    const jint rc = h4j_jni_forward_layers_call(env, L, B, Q, C, logits, boxes, offsets, labels,
                                                tboxes, cfg, assign_out, matching_cost_out,
                                                terms_out, grad_logits, grad_boxes);
    if (status_out != nullptr && !env->ExceptionCheck())
        env->SetIntArrayRegion(static_cast<jintArray>(status_out), 0, 1, &rc);
}

#endif
