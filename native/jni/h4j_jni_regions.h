// hungarian4j — JNI glue compiled into the JavaCPP library only (NativeLibrary's @Platform), not
// into libhungarian4j: h4j_cpu_forward_layers_io on Java arrays, one float[] per decoder layer,
// copied item by item with JNI's Get/SetFloatArrayRegion by the pool's threads. For JVMs whose
// collector does not pin arrays in critical regions (InPlaceArrays: JDK 17-21, or not G1): an
// array region copy never holds off the garbage collector, and each item's rows are copied into
// the scratch of the thread that checks and solves them, and its gradients out while in cache.
// The pool's threads attach to the JVM as daemons on first use and stay attached (the pool lives
// as long as the process). The small arrays come as JavaCPP passes them (copied in and back).
// Writes a status code into status_out[0]; never throws, never leaves a Java exception pending.
#ifndef HUNGARIAN4J_JNI_REGIONS_H
#define HUNGARIAN4J_JNI_REGIONS_H

#include <jni.h>

#include <new>
#include <vector>

#include "hungarian4j/hungarian4j.h"

namespace h4j_jni {

// The calling thread's JNIEnv: the JVM's own threads have one, a pool thread attaches once.
inline JNIEnv* env_of_this_thread(JavaVM* vm) {
    JNIEnv* env = nullptr;
    const jint got = vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_6);
    if (got == JNI_OK) return env;
    if (got != JNI_EDETACHED) return nullptr;
    JavaVMAttachArgs args{JNI_VERSION_1_6, const_cast<char*>("hungarian4j-native-pool"), nullptr};
    if (vm->AttachCurrentThreadAsDaemon(reinterpret_cast<void**>(&env), &args) != JNI_OK)
        return nullptr;
    return env;
}

// The layers' arrays as global references (usable from every thread) for the call's duration.
struct Regions {
    JavaVM* vm = nullptr;
    JNIEnv* env = nullptr;  // the calling thread's: creates and deletes the references
    int C = 0;
    std::vector<jfloatArray> logits, boxes, grad_logits, grad_boxes;

    ~Regions() {
        for (auto* v : {&logits, &boxes, &grad_logits, &grad_boxes})
            for (jfloatArray a : *v)
                if (a != nullptr) env->DeleteGlobalRef(a);
    }
    // Layer l of a float[][] as a global reference (`into` has room reserved: no throw after
    // the reference exists).
    int add(std::vector<jfloatArray>& into, jobject outer, jint l) {
        jobject a = env->GetObjectArrayElement(static_cast<jobjectArray>(outer), l);
        if (env->ExceptionCheck()) return status(env);
        if (a == nullptr) return H4J_ERR_INVALID_ARG;
        jobject g = env->NewGlobalRef(a);
        env->DeleteLocalRef(a);
        if (g == nullptr) return H4J_ERR_OUT_OF_MEMORY;
        into.push_back(static_cast<jfloatArray>(g));
        return H4J_OK;
    }
    // A JNI exception (an index outside an array: the Java caller checks the lengths first) is
    // cleared and becomes a status code.
    static int status(JNIEnv* env) {
        if (!env->ExceptionCheck()) return H4J_OK;
        env->ExceptionClear();
        return H4J_ERR_INVALID_ARG;
    }
    static int load(void* ctx, int l, int row, int rows, float* logits_dst, float* boxes_dst) {
        auto* r = static_cast<Regions*>(ctx);
        JNIEnv* env = env_of_this_thread(r->vm);
        if (env == nullptr) return H4J_ERR_INTERNAL;
        env->GetFloatArrayRegion(r->logits[l], (jsize)row * r->C, (jsize)rows * r->C, logits_dst);
        if (env->ExceptionCheck()) return status(env);
        env->GetFloatArrayRegion(r->boxes[l], (jsize)row * 4, (jsize)rows * 4, boxes_dst);
        return status(env);
    }
    static int store(void* ctx, int l, int row, int rows, const float* grad_logits,
                     const float* grad_boxes) {
        auto* r = static_cast<Regions*>(ctx);
        JNIEnv* env = env_of_this_thread(r->vm);
        if (env == nullptr) return H4J_ERR_INTERNAL;
        env->SetFloatArrayRegion(r->grad_logits[l], (jsize)row * r->C, (jsize)rows * r->C,
                                 grad_logits);
        if (env->ExceptionCheck()) return status(env);
        env->SetFloatArrayRegion(r->grad_boxes[l], (jsize)row * 4, (jsize)rows * 4, grad_boxes);
        return status(env);
    }
};

}  // namespace h4j_jni

// logits, boxes, grad_logits, grad_boxes: float[][] of L arrays (the gradients both null or
// neither: the Java caller checks that and every array first); the rest as
// h4j_cpu_forward_layers_io takes them.
inline int h4j_jni_forward_layers_regions_call(JNIEnv* env, jint L, jint B, jint Q, jint C,
                                               jobject logits, jobject boxes, const int* offsets,
                                               const int* labels, const float* tboxes,
                                               const double* cfg, int* assign_out,
                                               double* matching_cost_out, double* terms_out,
                                               jobject grad_logits, jobject grad_boxes) {
    if (L < 1 || logits == nullptr || boxes == nullptr ||
        (grad_logits == nullptr) != (grad_boxes == nullptr))
        return H4J_ERR_INVALID_ARG;
    const bool grads = grad_logits != nullptr;
    try {
        h4j_jni::Regions r;
        r.env = env;
        r.C = C;
        if (env->GetJavaVM(&r.vm) != JNI_OK) return H4J_ERR_INTERNAL;
        for (auto* v : {&r.logits, &r.boxes, &r.grad_logits, &r.grad_boxes}) v->reserve(L);
        int rc = H4J_OK;
        for (jint l = 0; rc == H4J_OK && l < L; ++l) rc = r.add(r.logits, logits, l);
        for (jint l = 0; rc == H4J_OK && l < L; ++l) rc = r.add(r.boxes, boxes, l);
        for (jint l = 0; rc == H4J_OK && grads && l < L; ++l) rc = r.add(r.grad_logits, grad_logits, l);
        for (jint l = 0; rc == H4J_OK && grads && l < L; ++l) rc = r.add(r.grad_boxes, grad_boxes, l);
        if (rc != H4J_OK) return rc;
        h4j_layer_io io{&r, &h4j_jni::Regions::load, &h4j_jni::Regions::store};
        return h4j_cpu_forward_layers_io(L, B, Q, C, &io, offsets, labels, tboxes, cfg, assign_out,
                                         matching_cost_out, terms_out, grads ? 1 : 0);
    } catch (const std::bad_alloc&) {
        return H4J_ERR_OUT_OF_MEMORY;
    }
}

inline void h4j_jni_forward_layers_regions(JNIEnv* env, jclass, jint L, jint B, jint Q, jint C,
                                           jobject logits, jobject boxes, const int* offsets,
                                           const int* labels, const float* tboxes,
                                           const double* cfg, int* assign_out,
                                           double* matching_cost_out, double* terms_out,
                                           jobject grad_logits, jobject grad_boxes,
                                           int* status_out) {
    const int rc = h4j_jni_forward_layers_regions_call(env, L, B, Q, C, logits, boxes, offsets,
                                                       labels, tboxes, cfg, assign_out,
                                                       matching_cost_out, terms_out, grad_logits,
                                                       grad_boxes);
    if (status_out != nullptr) status_out[0] = rc;
}

#endif
