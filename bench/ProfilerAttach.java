import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent (async-profiler's library) into a running JVM with one command for it, for bench/threads.sh:
 * {@code java bench/ProfilerAttach.java <pid> <library> <options>} (source-file mode, nothing to build).
 */
public final class ProfilerAttach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
