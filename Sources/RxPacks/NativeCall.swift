import CRxPackABI
import RxLanguage
import RxValues

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension NativeFunctionInfo.Kind {
    /// The rule-language type this C kind carries.
    public var ruleType: RuleType {
        switch self {
        case .bool: .bool
        case .int: .int
        case .decimal: .decimal
        case .date: .date
        case .string: .string
        }
    }
}

extension NativeFunctionInfo {
    /// Whether the module's function has exactly the declared argument and result types.
    func matches(_ signature: NativeSignature) -> Bool {
        arguments.count == signature.parameters.count
            && zip(arguments, signature.parameters).allSatisfy { $0.kind.ruleType == $1.type }
            && result.ruleType == signature.result
    }

    /// The function as the evaluator calls it. Strings are copied into C memory for the call only.
    public var implementation: NativeImplementation {
        let function = self.function
        let kinds = arguments.map(\.kind)
        let resultKind = result
        return { values in
            guard values.count == kinds.count else { return nil }
            var owned: [UnsafeMutablePointer<CChar>] = []
            defer { owned.forEach { free($0) } }
            var arguments: [rxpack_value] = []
            for value in values {
                var argument = rxpack_value(kind: 0, scale: 0, integer: 0, string: nil)
                switch value {
                case .bool(let flag): argument.kind = Kind.bool.rawValue; argument.integer = flag ? 1 : 0
                case .int(let number): argument.kind = Kind.int.rawValue; argument.integer = number
                case .decimal(let decimal):
                    argument.kind = Kind.decimal.rawValue
                    argument.integer = decimal.units
                    argument.scale = UInt32(decimal.scale)
                case .date(let day): argument.kind = Kind.date.rawValue; argument.integer = Int64(day.number)
                case .string(let text):
                    guard let copy = strdup(text) else { return nil }
                    owned.append(copy)
                    argument.kind = Kind.string.rawValue
                    argument.string = UnsafePointer(copy)
                }
                arguments.append(argument)
            }
            var result = rxpack_value(kind: 0, scale: 0, integer: 0, string: nil)
            let status = arguments.withUnsafeBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else {
                    var none = rxpack_value(kind: 0, scale: 0, integer: 0, string: nil)
                    return function(&none, 0, &result)
                }
                return function(base, UInt32(buffer.count), &result)
            }
            guard status == 0, result.kind == resultKind.rawValue else { return nil }
            switch resultKind {
            case .bool: return .bool(result.integer != 0)
            case .int: return .int(result.integer)
            case .decimal:
                guard result.scale <= UInt32(ExactDecimal.maxScale) else { return nil }
                return .decimal(ExactDecimal(units: result.integer, scale: UInt8(result.scale)))
            case .date:
                guard let number = Int32(exactly: result.integer) else { return nil }
                return .date(Day(number: number))
            case .string:
                return result.string.map { .string(String(cString: $0)) }
            }
        }
    }
}
