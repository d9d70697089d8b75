import RxValues

/// The five canonical record files the generator writes, in the layout of the data model.
public enum SynthFile: Int, Sendable, CaseIterable, CustomStringConvertible {
    case members, enrollment, pharmacyClaims, medicalClaims, observations

    /// The file name inside the output folder.
    public var fileName: String {
        switch self {
        case .members: "members.csv"
        case .enrollment: "enrollment.csv"
        case .pharmacyClaims: "pharmacy_claims.csv"
        case .medicalClaims: "medical_claims.csv"
        case .observations: "observations.csv"
        }
    }

    /// The canonical columns, in order.
    public var columns: [String] {
        switch self {
        case .members: ["member_id", "birth_date", "sex", "death_date"]
        case .enrollment: ["member_id", "plan_id", "start_date", "end_date"]
        case .pharmacyClaims:
            ["claim_id", "member_id", "fill_date", "ndc", "days_supply", "quantity", "paid_amount", "patient_pay",
             "status", "rx_number", "fill_number", "pharmacy_id", "prescriber_id"]
        case .medicalClaims:
            ["claim_id", "member_id", "from_date", "thru_date", "setting", "dx_codes", "proc_codes", "paid_amount"]
        case .observations: ["member_id", "date", "code", "value", "unit"]
        }
    }

    /// The header line, newline included.
    public var header: String { columns.joined(separator: ",") + "\n" }

    public var description: String { fileName }
}

/// Byte-level row building: the hot path writes ASCII straight into a growing buffer.
extension Array where Element == UInt8 {
    @inline(__always) mutating func comma() { append(UInt8(ascii: ",")) }
    @inline(__always) mutating func newline() { append(UInt8(ascii: "\n")) }

    @inline(__always) mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func text(_ string: String) { append(contentsOf: string.utf8) }

    /// An integer, its digits left-padded with zeros to at least `width` (at most 24 characters).
    mutating func number(_ value: Int, width: Int = 1) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        // Digits are produced right to left into 24 bytes on the stack, then appended in one copy.
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &scratch) { raw in
            var start = raw.count
            repeat {
                start -= 1
                raw[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            let first = Swift.max(0, raw.count - width)
            while start > first {
                start -= 1
                raw[start] = UInt8(ascii: "0")
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[start...]))
        }
    }

    /// Cents as money with exactly two fraction digits: `1234` → `12.34`.
    mutating func money(cents: Int) {
        if cents < 0 { append(UInt8(ascii: "-")) }
        let magnitude = cents < 0 ? 0 - cents : cents
        number(magnitude / 100)
        append(UInt8(ascii: "."))
        number(magnitude % 100, width: 2)
    }

    /// Tenths as a decimal, without a fraction when it is zero: `150` → `15`, `15` → `1.5`.
    mutating func tenths(_ value: Int) {
        number(value / 10)
        if value % 10 != 0 {
            append(UInt8(ascii: "."))
            number(value % 10)
        }
    }
}

/// ISO dates of a range of days, rendered once so that writing a date is a 10-byte copy.
struct DateTable: Sendable {
    let first: Day
    private let bytes: [UInt8]

    init(from first: Day, through last: Day) {
        self.first = first
        var bytes: [UInt8] = []
        bytes.reserveCapacity((last - first + 1) * 10)
        var day = first
        while day <= last {
            bytes.append(contentsOf: day.description.utf8)
            day = day + 1
        }
        self.bytes = bytes
    }

    /// Appends `YYYY-MM-DD` of `day` to `output`.
    @inline(__always)
    func write(_ day: Day, to output: inout [UInt8]) {
        let offset = (day - first) * 10
        if offset >= 0, offset + 10 <= bytes.count {
            output.append(contentsOf: bytes[offset..<(offset + 10)])
        } else {
            output.append(contentsOf: day.description.utf8)
        }
    }
}
