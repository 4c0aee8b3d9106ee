# The gateway's JVM flags as ./sluice passes them with its default heap and young sizes (the launcher says why each
# is there). Sourced by the benchmark scripts, so that a soak, an A/B or a profile measures the JVM a team runs;
# JvmFlagsTest fails when the two disagree.
SLUICE_JVM_FLAGS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:GCTimeRatio=4 -Xms128m -Xmx192m -XX:MaxNewSize=48m -XX:ReservedCodeCacheSize=64m -XX:TrimNativeHeapInterval=10000"
