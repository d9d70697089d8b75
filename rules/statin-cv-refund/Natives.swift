import CRxPackABI
import RxPackSupport

/// Functions written in Swift that this pack's rules may call, declared in pack.rules with `native`.
let packNativeFunctions: [PackNativeFunction] = [
    PackNativeFunction(
        name: "cv_risk_points",
        documentation: "illustrative risk points: age band plus one for male sex",
        arguments: [(name: "age", kind: RXPACK_KIND_INT), (name: "male", kind: RXPACK_KIND_BOOL)],
        result: RXPACK_KIND_INT,
        function: cvRiskPoints),
]

/// Illustrative cardiovascular risk points, standing in for an insurer's proprietary score (it is not
/// a validated clinical score): 0 under 40, 1 for 40-49, 2 for 50-59, 3 for 60-69, 4 from 70, plus 1
/// for male sex. Returns non-zero (a failure the host counts) for arguments of the wrong kind and for
/// an impossible age (below 0 or above 150: a birth date after the index fill is a data error).
func cvRiskPoints(
    _ arguments: UnsafePointer<rxpack_value>, _ count: UInt32, _ result: UnsafeMutablePointer<rxpack_value>
) -> Int32 {
    guard count == 2, arguments[0].kind == RXPACK_KIND_INT.rawValue, arguments[1].kind == RXPACK_KIND_BOOL.rawValue
    else { return 1 }
    let age = arguments[0].integer
    guard (0...150).contains(age) else { return 2 }
    var points: Int64 = switch age {
    case ..<40: 0
    case 40..<50: 1
    case 50..<60: 2
    case 60..<70: 3
    default: 4
    }
    if arguments[1].integer != 0 { points += 1 }
    result.pointee = rxpack_value(kind: RXPACK_KIND_INT.rawValue, scale: 0, integer: points, string: nil)
    return 0
}
