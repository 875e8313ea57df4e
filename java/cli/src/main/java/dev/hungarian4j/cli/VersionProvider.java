package dev.hungarian4j.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's implementation version when packaged, else {@code dev}. */
public final class VersionProvider implements IVersionProvider {
    /** The implementation version of the packaged jar, or {@code dev}. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"hungarian4j " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
