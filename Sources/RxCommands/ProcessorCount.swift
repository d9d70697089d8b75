#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Cores this process may use (at least 1).
func activeProcessorCount() -> Int {
    Int(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
