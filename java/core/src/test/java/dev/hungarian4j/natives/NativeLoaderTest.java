package dev.hungarian4j.natives;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The platform check that runs before any native load: a foreign platform gets a plain reason. */
class NativeLoaderTest {
    @Test
    void foreignPlatformsAreNamedNotLinked() {
        assertNull(NativeLoader.foreignPlatform("linux-x86_64"));
        assertEquals("this jar ships natives for linux-x86_64 only (this JVM runs on macosx-arm64)",
                NativeLoader.foreignPlatform("macosx-arm64"));
        assertEquals("this jar ships natives for linux-x86_64 only (this JVM runs on linux-arm64)",
                NativeLoader.foreignPlatform("linux-arm64"));
    }

    @Test
    void platformNamesFollowJavaCpp() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        try {
            System.setProperty("os.name", "Mac OS X");
            System.setProperty("os.arch", "aarch64");
            assertEquals("macosx-arm64", NativeLoader.platform());
            System.setProperty("os.name", "Windows 11");
            System.setProperty("os.arch", "amd64");
            assertEquals("windows-x86_64", NativeLoader.platform());
            System.setProperty("os.name", "Linux");
            System.setProperty("os.arch", "amd64");
            assertEquals("linux-x86_64", NativeLoader.platform());
        } finally {
            System.setProperty("os.name", os);
            System.setProperty("os.arch", arch);
        }
    }
}
