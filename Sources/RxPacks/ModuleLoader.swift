import CRxPackABI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A native function registered by a compiled pack, as the host sees it.
public struct NativeFunctionInfo: Sendable, Equatable {
    public enum Kind: UInt32, Sendable {
        case bool = 1, int = 2, decimal = 3, date = 4, string = 5
    }

    public var name: String
    public var documentation: String
    public var arguments: [(name: String, kind: Kind)]
    public var result: Kind
    /// Plain C function pointer; calling it is the engine's job.
    public var function: rxpack_native_fn

    public static func == (lhs: NativeFunctionInfo, rhs: NativeFunctionInfo) -> Bool {
        lhs.name == rhs.name && lhs.documentation == rhs.documentation && lhs.result == rhs.result
            && lhs.arguments.map(\.name) == rhs.arguments.map(\.name)
            && lhs.arguments.map(\.kind) == rhs.arguments.map(\.kind)
    }
}

/// Everything a compiled pack module hands over, copied into Swift values.
public struct ModuleContents: Sendable {
    public var modulePath: String
    public var name: String
    public var version: String
    public var engineRange: String
    public var contentHash: String
    /// Relative path → exact bytes.
    public var files: [(path: String, bytes: [UInt8])]
    public var nativeFunctions: [NativeFunctionInfo]
}

/// Why a file could not be loaded as a compiled pack module.
public struct ModuleLoadError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Reason: Equatable, Sendable {
        case cannotOpen(String)
        case notAPack
        case abiMismatch(host: UInt32, pack: UInt32?)
        case malformed(String)
    }

    public var path: String
    public var reason: Reason

    public var description: String {
        switch reason {
        case .cannotOpen(let detail): return "\(path): cannot load: \(detail)"
        case .notAPack: return "\(path): not a rule pack module (no '\(RXPACK_ENTRY_POINT)' entry point)"
        case .abiMismatch(let host, let pack):
            let packText = pack.map { "ABI version \($0)" } ?? "a different ABI version"
            return "\(path): pack module was built for \(packText); this host speaks ABI version \(host)"
        case .malformed(let detail): return "\(path): malformed pack module: \(detail)"
        }
    }
}

/// Opens compiled pack modules. Modules are never unloaded: Swift images do not support it.
public enum ModuleLoader {
    /// The ABI version this host speaks.
    public static let abiVersion: UInt32 = RXPACK_ABI_VERSION

    public static func load(path: String) throws(ModuleLoadError) -> ModuleContents {
        // NOW: missing symbols fail here, not mid-run. LOCAL: each pack keeps its own copies of
        // support symbols. NODELETE: a later dlclose can never unmap Swift metadata in use.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            let detail = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw ModuleLoadError(path: path, reason: .cannotOpen(detail))
        }
        guard let symbol = dlsym(handle, RXPACK_ENTRY_POINT) else {
            throw ModuleLoadError(path: path, reason: .notAPack)
        }
        let describe = unsafeBitCast(symbol, to: rxpack_describe_fn.self)
        guard let descriptor = describe(abiVersion) else {
            throw ModuleLoadError(path: path, reason: .abiMismatch(host: abiVersion, pack: nil))
        }
        // Read the two leading fields before trusting the rest of the layout.
        let packABI = descriptor.pointee.abi_version
        guard packABI == abiVersion else {
            throw ModuleLoadError(path: path, reason: .abiMismatch(host: abiVersion, pack: packABI))
        }
        guard Int(descriptor.pointee.struct_size) >= MemoryLayout<rxpack_descriptor>.size else {
            throw ModuleLoadError(
                path: path,
                reason: .malformed("descriptor has \(descriptor.pointee.struct_size) bytes, expected at least \(MemoryLayout<rxpack_descriptor>.size)"))
        }
        let d = descriptor.pointee
        var files: [(path: String, bytes: [UInt8])] = []
        for index in 0..<Int(d.file_count) {
            let file = d.files[index]
            let bytes = Array(UnsafeBufferPointer(start: file.bytes, count: Int(file.length)))
            files.append((String(cString: file.path), bytes))
        }
        var natives: [NativeFunctionInfo] = []
        if let table = d.native_functions {
            for index in 0..<Int(d.native_function_count) {
                let native = table[index]
                var arguments: [(name: String, kind: NativeFunctionInfo.Kind)] = []
                for position in 0..<Int(native.argument_count) {
                    guard let kinds = native.argument_kinds,
                          let kind = NativeFunctionInfo.Kind(rawValue: kinds[position])
                    else {
                        throw ModuleLoadError(path: path, reason: .malformed("native function '\(String(cString: native.name))' has an unknown argument kind"))
                    }
                    let name = native.argument_names?[position].map { String(cString: $0) } ?? "_"
                    arguments.append((name, kind))
                }
                guard let result = NativeFunctionInfo.Kind(rawValue: native.result_kind) else {
                    throw ModuleLoadError(path: path, reason: .malformed("native function '\(String(cString: native.name))' has an unknown result kind"))
                }
                natives.append(NativeFunctionInfo(
                    name: String(cString: native.name), documentation: String(cString: native.documentation),
                    arguments: arguments, result: result, function: native.function))
            }
        }
        return ModuleContents(
            modulePath: path, name: String(cString: d.name), version: String(cString: d.version),
            engineRange: String(cString: d.engine_range), contentHash: String(cString: d.content_hash),
            files: files, nativeFunctions: natives)
    }
}
