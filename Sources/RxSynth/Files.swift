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

    /// Appends `YYYY-MM-DD` of `day` to `row`.
    @inline(__always)
    func write(_ day: Day, to row: inout RowScratch) {
        let offset = (day - first) * 10
        if offset >= 0, offset + 10 <= bytes.count {
            bytes.withUnsafeBufferPointer { row.bytes(UnsafeBufferPointer(rebasing: $0[offset..<(offset + 10)])) }
        } else {
            row.text(day.description)
        }
    }
}
