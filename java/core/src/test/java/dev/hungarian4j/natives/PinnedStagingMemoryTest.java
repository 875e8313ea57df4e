package dev.hungarian4j.natives;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA backend's pinned staging, on this machine without a GPU: the allocation and free calls are a recording
 * fake over malloc (the real pair is h4j_cuda_host_alloc/free, refused here and checked for that), so the test sees
 * every block that staging takes and gives back: on growth, on release, after its thread ended, and on refusal.
 */
class PinnedStagingMemoryTest {
    /** malloc/free that records the live blocks; {@code refuse} makes every allocation fail as the runtime can. */
    static final class RecordingAllocator implements PinnedStagingMemory.HostAllocator {
        final Set<Long> live = java.util.Collections.synchronizedSet(new HashSet<>());
        final List<Long> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean refuse;

        @Override
        public int alloc(long bytes, PointerPointer<Pointer> out) {
            if (refuse) {
                return 4; // H4J_ERR_CUDA
            }
            Pointer p = Pointer.malloc(bytes);
            live.add(p.address());
            sizes.add(bytes);
            out.put(0, p);
            return NativeStatus.OK;
        }

        @Override
        public int free(Pointer ptr) {
            assertTrue(live.remove(ptr.address()), "freed a block that was not live: " + ptr.address());
            Pointer.free(ptr);
            return NativeStatus.OK;
        }
    }

    @Test
    void aBufferIsPinnedMemoryOfTheRequestedSizeFreedOnceOnClose() {
        RecordingAllocator alloc = new RecordingAllocator();
        FloatPointer p = new PinnedStagingMemory(alloc).allocate(10);
        assertInstanceOf(PinnedStagingMemory.PinnedFloats.class, p);
        assertEquals(10, p.capacity());
        assertEquals(10, p.limit());
        assertEquals(List.of(40L), alloc.sizes);
        p.asBuffer().put(9, 2.5f);
        assertEquals(2.5f, p.get(9));
        assertEquals(1, alloc.live.size());
        p.close();
        assertTrue(alloc.live.isEmpty(), "close freed the pinned block");
    }

    @Test
    void stagingCopiesThroughPinnedMemoryAndFreesOnGrowthAndRelease() {
        RecordingAllocator alloc = new RecordingAllocator();
        ArrayStaging st = new ArrayStaging(new PinnedStagingMemory(alloc));
        float[] small = {1, 2, 3};
        FloatPointer in = st.costsIn(small, 3);
        assertInstanceOf(PinnedStagingMemory.PinnedFloats.class, in);
        assertEquals(3f, in.get(2));
        float[] large = new float[1000];
        large[999] = 7;
        FloatPointer grown = st.costsIn(large, 1000);
        assertEquals(7f, grown.get(999));
        assertEquals(1, alloc.live.size(), "growing freed the smaller block at once");
        float[] out = new float[1000];
        FloatPointer room = st.costsOut(out, 1000);
        room.put(998, 4f);
        st.copyCostsOut(out, 1000);
        assertEquals(4f, out[998]);
        assertEquals(2, alloc.live.size());
        st.free();
        assertTrue(alloc.live.isEmpty(), "free gave back every pinned block");
    }

    @Test
    void aRefusedAllocationFallsBackToOrdinaryMemoryThatWorks() {
        RecordingAllocator alloc = new RecordingAllocator();
        alloc.refuse = true;
        ArrayStaging st = new ArrayStaging(new PinnedStagingMemory(alloc));
        FloatPointer in = st.costsIn(new float[] {5, 6}, 2);
        assertFalse(in instanceof PinnedStagingMemory.PinnedFloats);
        assertEquals(6f, in.get(1));
        st.free();
        assertTrue(alloc.live.isEmpty());
    }

    @Test
    void blocksOfAThreadThatEndedAreFreedOnceUnreachable() throws Exception {
        RecordingAllocator alloc = new RecordingAllocator();
        Thread t = new Thread(() -> new ArrayStaging(new PinnedStagingMemory(alloc)).costsIn(new float[4096], 4096));
        t.start();
        t.join();
        assertEquals(1, alloc.live.size());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!alloc.live.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Pointer.deallocateReferences(); // JavaCPP runs the deallocators of collected pointers
            Thread.sleep(20);
        }
        assertTrue(alloc.live.isEmpty(), "the ended thread's pinned block was freed by its deallocator");
    }

    @Test
    void theCudaBackendStagesInPinnedMemoryAndReleaseFreesBothThreadLocals() {
        assertSame(StagingMemory.ORDINARY, ArrayStaging.current().memory());
        assertInstanceOf(PinnedStagingMemory.class, ArrayStaging.forCuda().memory());
        assertSame(ArrayStaging.forCuda(), ArrayStaging.forCuda());
        ArrayStaging cuda = ArrayStaging.forCuda();
        NativeBackend.releaseThreadBuffers();
        assertFalse(cuda == ArrayStaging.forCuda(), "release dropped the thread's CUDA staging");
    }

    @Test
    void theRealEntryPointsRefuseWithoutADeviceAndStagingStillWorks() {
        NativeLibrary.load();
        boolean gpu = NativeLibrary.h4j_cuda_available() == 1;
        try (PointerPointer<Pointer> out = new PointerPointer<>(1L)) {
            int status = NativeLibrary.h4j_cuda_host_alloc(64, out);
            if (gpu) {
                assertEquals(NativeStatus.OK, status, NativeLibrary::h4j_last_error);
                assertEquals(NativeStatus.OK, NativeLibrary.h4j_cuda_host_free(out.get(0)));
            } else {
                assertEquals(3, status, "H4J_ERR_NO_DEVICE without a GPU: " + NativeLibrary.h4j_last_error());
                assertTrue(out.get(0) == null || out.get(0).isNull(), "a refusal leaves the out-pointer NULL");
            }
        }
        assertEquals(NativeStatus.OK, NativeLibrary.h4j_cuda_host_free(null));
        FloatPointer p = new PinnedStagingMemory(PinnedStagingMemory.CUDA).allocate(8);
        assertNotNull(p);
        assertEquals(gpu, p instanceof PinnedStagingMemory.PinnedFloats);
        p.put(7, 1.5f);
        assertEquals(1.5f, p.get(7));
        p.close();
    }
}
