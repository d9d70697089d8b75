import CRxPackABI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A native function that a pack module registers for its rules.
///
/// The function pointer is plain C: it captures nothing and reaches no Swift state of the host.
public struct PackNativeFunction: Sendable {
    public var name: String
    public var documentation: String
    public var arguments: [(name: String, kind: rxpack_value_kind)]
    public var result: rxpack_value_kind
    public var function: rxpack_native_fn

    public init(
        name: String, documentation: String, arguments: [(name: String, kind: rxpack_value_kind)],
        result: rxpack_value_kind, function: rxpack_native_fn
    ) {
        self.name = name
        self.documentation = documentation
        self.arguments = arguments
        self.result = result
        self.function = function
    }
}

/// The descriptor a pack module hands to the host, built once and never freed.
///
/// `@unchecked Sendable`: the pointee is written once inside `init` and is immutable afterwards;
/// pack modules are never unloaded, so the memory stays valid for the life of the process.
public struct PackDescriptor: @unchecked Sendable {
    public let pointer: UnsafePointer<rxpack_descriptor>

    /// Builds the C descriptor. `files` holds each embedded file's relative path and its bytes
    /// encoded in base64 (generated code stays one short literal per file and compiles fast).
    public init(
        name: String, version: String, engineRange: String, contentHash: String,
        files: [(path: String, base64: String)], nativeFunctions: [PackNativeFunction]
    ) {
        let fileTable = UnsafeMutablePointer<rxpack_file>.allocate(capacity: max(files.count, 1))
        for (index, file) in files.enumerated() {
            let bytes = Base64.decode(file.base64) ?? []
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            buffer.initialize(from: bytes, count: bytes.count)
            fileTable[index] = rxpack_file(
                path: PackDescriptor.permanent(file.path), bytes: UnsafePointer(buffer),
                length: UInt64(bytes.count))
        }
        var nativeTable: UnsafeMutablePointer<rxpack_native_function>? = nil
        if !nativeFunctions.isEmpty {
            let table = UnsafeMutablePointer<rxpack_native_function>.allocate(capacity: nativeFunctions.count)
            for (index, native) in nativeFunctions.enumerated() {
                let kinds = UnsafeMutablePointer<UInt32>.allocate(capacity: max(native.arguments.count, 1))
                let names = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(
                    capacity: max(native.arguments.count, 1))
                for (position, argument) in native.arguments.enumerated() {
                    kinds[position] = argument.kind.rawValue
                    names[position] = PackDescriptor.permanent(argument.name)
                }
                table[index] = rxpack_native_function(
                    name: PackDescriptor.permanent(native.name),
                    documentation: PackDescriptor.permanent(native.documentation),
                    argument_count: UInt32(native.arguments.count),
                    argument_kinds: UnsafePointer(kinds),
                    argument_names: UnsafePointer(names),
                    result_kind: native.result.rawValue,
                    function: native.function)
            }
            nativeTable = table
        }
        let descriptor = UnsafeMutablePointer<rxpack_descriptor>.allocate(capacity: 1)
        descriptor.initialize(to: rxpack_descriptor(
            abi_version: RXPACK_ABI_VERSION,
            struct_size: UInt32(MemoryLayout<rxpack_descriptor>.size),
            name: PackDescriptor.permanent(name),
            version: PackDescriptor.permanent(version),
            engine_range: PackDescriptor.permanent(engineRange),
            content_hash: PackDescriptor.permanent(contentHash),
            file_count: UInt32(files.count),
            files: UnsafePointer(fileTable),
            native_function_count: UInt32(nativeFunctions.count),
            native_functions: nativeTable.map { UnsafePointer($0) }))
        pointer = UnsafePointer(descriptor)
    }

    /// A NUL-terminated copy of `text` that lives for the rest of the process.
    static func permanent(_ text: String) -> UnsafePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        buffer.initialize(from: utf8, count: utf8.count)
        return UnsafePointer(buffer)
    }
}

/// Standard base64 (RFC 4648, with padding), enough for embedded pack files.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(chunk >> UInt32(shift) & 63)]) }
            index += 3
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            var chunk = UInt32(bytes[index]) << 16
            if remaining == 2 { chunk |= UInt32(bytes[index + 1]) << 8 }
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(remaining == 2 ? alphabet[Int(chunk >> 6 & 63)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes padded base64; nil on any character outside the alphabet or a bad length.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - 71)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte + 4)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): padding += 1; values.append(0)
            default: return nil
            }
        }
        guard values.count % 4 == 0, padding <= 2 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(values.count / 4 * 3)
        var index = 0
        while index < values.count {
            let chunk = UInt32(values[index]) << 18 | UInt32(values[index + 1]) << 12
                | UInt32(values[index + 2]) << 6 | UInt32(values[index + 3])
            output.append(UInt8(chunk >> 16 & 255))
            output.append(UInt8(chunk >> 8 & 255))
            output.append(UInt8(chunk & 255))
            index += 4
        }
        output.removeLast(padding)
        return output
    }
}
