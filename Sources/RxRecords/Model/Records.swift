import RxValues

/// Dense index of a member inside a loaded record set (members sorted by member_id).
public typealias MemberIndex = Int32

/// Administrative sex as in members.csv.
public enum Sex: UInt8, Sendable, CaseIterable {
    case female, male, unknown

    /// The canonical letter: `F`, `M`, `U`.
    public var code: String {
        switch self {
        case .female: "F"
        case .male: "M"
        case .unknown: "U"
        }
    }

    /// Parses `F`, `M` or `U` exactly.
    public init?(code: String) {
        switch code {
        case "F": self = .female
        case "M": self = .male
        case "U": self = .unknown
        default: return nil
        }
    }

    /// Parses the one byte `F`, `M` or `U` (the CSV hot path: no `String` per row).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 1 else { return nil }
        switch bytes[0] {
        case UInt8(ascii: "F"): self = .female
        case UInt8(ascii: "M"): self = .male
        case UInt8(ascii: "U"): self = .unknown
        default: return nil
        }
    }
}

/// Where a medical claim's care happened.
public enum Setting: UInt8, Sendable, CaseIterable {
    case inpatient, snf, hospice, outpatient, er, professional

    /// The canonical spelling in medical_claims.csv.
    public var code: String {
        switch self {
        case .inpatient: "inpatient"
        case .snf: "snf"
        case .hospice: "hospice"
        case .outpatient: "outpatient"
        case .er: "er"
        case .professional: "professional"
        }
    }

    public init?(code: String) {
        guard let match = Setting.allCases.first(where: { $0.code == code }) else { return nil }
        self = match
    }

    /// The setting spelled by `bytes` (the CSV hot path: no `String` per row).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        // The first byte and the length tell the spellings apart; then one check of the whole word.
        let candidate: Setting
        switch (bytes.first, bytes.count) {
        case (UInt8(ascii: "i"), 9): candidate = .inpatient
        case (UInt8(ascii: "s"), 3): candidate = .snf
        case (UInt8(ascii: "h"), 7): candidate = .hospice
        case (UInt8(ascii: "o"), 10): candidate = .outpatient
        case (UInt8(ascii: "e"), 2): candidate = .er
        case (UInt8(ascii: "p"), 12): candidate = .professional
        default: return nil
        }
        var spelling = candidate.code
        // A plain loop: the generic elementsEqual costs hundreds of instructions for a dozen bytes.
        let same = spelling.withUTF8 { word in
            for index in 0..<word.count where word[index] != bytes[index] { return false }
            return true
        }
        guard same else { return nil }
        self = candidate
    }
}

/// Whether a pharmacy claim row pays or reverses a dispensing.
public enum ClaimStatus: UInt8, Sendable {
    case paid, reversed

    public var code: String { self == .paid ? "paid" : "reversed" }
}

/// One person: members.csv.
public struct Member: Sendable, Equatable {
    public var memberID: String
    public var birthDate: Day
    public var sex: Sex
    public var deathDate: Day?

    public init(memberID: String, birthDate: Day, sex: Sex, deathDate: Day?) {
        self.memberID = memberID
        self.birthDate = birthDate
        self.sex = sex
        self.deathDate = deathDate
    }
}

/// One coverage span: enrollment.csv. Both dates are covered days.
public struct Enrollment: Sendable, Equatable {
    public var member: MemberIndex
    public var plan: CodeID
    public var period: Period
    public var line: Int32

    public init(member: MemberIndex, plan: CodeID, period: Period, line: Int32) {
        self.member = member
        self.plan = plan
        self.period = period
        self.line = line
    }
}

/// A money or quantity field stored as units plus scale in separate fields, so claims pack tightly.
@usableFromInline let absentScale: UInt8 = 255

/// One dispensing transaction: pharmacy_claims.csv. Codes are ids into the record set's `CodeTable`.
///
/// A plain-data struct (no references), so grouping moves claims with memcpy and no reference
/// counting. The claim id's bytes live in the record set's claim-id arena (`RecordSet.claimID(of:)`,
/// `MemberHistory.claimID(of:)`). Decimals are stored as their `units` with the scales packed
/// together (`ExactDecimal` alone would pad to 16 bytes each); the properties rebuild `ExactDecimal`s.
public struct PharmacyClaim: Sendable, Equatable {
    var quantityUnits: Int64
    var paidUnits: Int64
    var patientPayUnits: Int64
    public var member: MemberIndex
    public var fillDate: Day
    public var ndc: CodeID
    /// Pharmacy and prescriber ids: code ids, -1 when absent.
    public var pharmacy: CodeID
    public var prescriber: CodeID
    /// Physical line where the row starts in its source file (for rejects and evidence).
    public var line: Int32
    /// Where the claim id's bytes start in the claim-id arena.
    public internal(set) var claimIDOffset: UInt32
    public var daysSupply: Int16
    /// 0 = original fill, 1... = refills, -1 when absent.
    public var fillNumber: Int16
    /// Index of the source file in the load report's file list.
    public var sourceFile: UInt16
    var quantityScale: UInt8
    var paidScale: UInt8
    var patientPayScale: UInt8
    public var status: ClaimStatus
    public internal(set) var claimIDLength: UInt8
    /// The prescription number's bytes follow the claim id's in the arena; 0 when absent.
    /// (An identifier, not a code: interning it would only cost a hash lookup per row.)
    public internal(set) var rxNumberLength: UInt8

    init(
        claimIDOffset: UInt32, claimIDLength: UInt8, member: MemberIndex, fillDate: Day, ndc: CodeID, daysSupply: Int16,
        quantity: ExactDecimal, paidAmount: ExactDecimal, patientPay: ExactDecimal?, status: ClaimStatus,
        rxNumberLength: UInt8 = 0, fillNumber: Int16 = -1, pharmacy: CodeID = -1, prescriber: CodeID = -1,
        line: Int32 = 0, sourceFile: UInt16 = 0
    ) {
        self.claimIDOffset = claimIDOffset
        self.claimIDLength = claimIDLength
        self.member = member
        self.fillDate = fillDate
        self.ndc = ndc
        self.daysSupply = daysSupply
        self.quantityUnits = quantity.units
        self.quantityScale = quantity.scale
        self.paidUnits = paidAmount.units
        self.paidScale = paidAmount.scale
        self.patientPayUnits = patientPay?.units ?? 0
        self.patientPayScale = patientPay?.scale ?? absentScale
        self.status = status
        self.rxNumberLength = rxNumberLength
        self.fillNumber = fillNumber
        self.pharmacy = pharmacy
        self.prescriber = prescriber
        self.line = line
        self.sourceFile = sourceFile
    }

    public var quantity: ExactDecimal { ExactDecimal(units: quantityUnits, scale: quantityScale) }
    public var paidAmount: ExactDecimal { ExactDecimal(units: paidUnits, scale: paidScale) }
    public var patientPay: ExactDecimal? {
        patientPayScale == absentScale ? nil : ExactDecimal(units: patientPayUnits, scale: patientPayScale)
    }

    /// The days covered by this fill under the inclusive convention: fill date ... fill date + supply − 1.
    public var supplyPeriod: Period { Period(fillDate, fillDate + (Int(daysSupply) - 1)) }

    /// Range of the claim id's bytes in the claim-id arena.
    public var claimIDRange: Range<Int> { Int(claimIDOffset)..<(Int(claimIDOffset) + Int(claimIDLength)) }
    /// Range of the prescription number's bytes in the claim-id arena (empty when absent).
    public var rxNumberRange: Range<Int> { claimIDRange.upperBound..<(claimIDRange.upperBound + Int(rxNumberLength)) }
}

/// One medical claim header: medical_claims.csv. Diagnosis and procedure codes live in the record
/// set's code pools; `diagnoses` and `procedures` index them.
public struct MedicalClaim: Sendable, Equatable {
    public var claimID: String
    public var member: MemberIndex
    public var period: Period
    public var setting: Setting
    /// `codePool[diagnosisStart ..< diagnosisStart + diagnosisCount]`, principal first.
    public var diagnosisStart: Int32
    public var diagnosisCount: UInt16
    public var procedureCount: UInt16
    /// Procedure codes follow the diagnoses in the pool.
    var paidUnits: Int64
    var paidScale: UInt8
    public var line: Int32
    public var sourceFile: UInt16

    public init(claimID: String, member: MemberIndex, period: Period, setting: Setting,
                diagnosisStart: Int32, diagnosisCount: UInt16, procedureCount: UInt16,
                paidAmount: ExactDecimal?, line: Int32 = 0, sourceFile: UInt16 = 0) {
        self.claimID = claimID
        self.member = member
        self.period = period
        self.setting = setting
        self.diagnosisStart = diagnosisStart
        self.diagnosisCount = diagnosisCount
        self.procedureCount = procedureCount
        self.paidUnits = paidAmount?.units ?? 0
        self.paidScale = paidAmount?.scale ?? absentScale
        self.line = line
        self.sourceFile = sourceFile
    }

    public var paidAmount: ExactDecimal? {
        paidScale == absentScale ? nil : ExactDecimal(units: paidUnits, scale: paidScale)
    }
    /// Range of the diagnosis ids in the code pool.
    public var diagnosisRange: Range<Int> { Int(diagnosisStart)..<(Int(diagnosisStart) + Int(diagnosisCount)) }
    /// Range of the procedure ids in the code pool.
    public var procedureRange: Range<Int> {
        diagnosisRange.upperBound..<(diagnosisRange.upperBound + Int(procedureCount))
    }
}

/// The value of an observation: a decimal number or a coded/text result (`PD`, `positive`).
public enum ObservationValue: Sendable, Equatable {
    case number(ExactDecimal)
    case text(CodeID)
}

/// One clinical result: observations.csv.
public struct Observation: Sendable, Equatable {
    public var member: MemberIndex
    public var date: Day
    public var code: CodeID
    public var value: ObservationValue
    /// Unit code id, -1 when absent.
    public var unit: CodeID
    public var line: Int32
    public var sourceFile: UInt16

    public init(member: MemberIndex, date: Day, code: CodeID, value: ObservationValue, unit: CodeID,
                line: Int32 = 0, sourceFile: UInt16 = 0) {
        self.member = member
        self.date = date
        self.code = code
        self.value = value
        self.unit = unit
        self.line = line
        self.sourceFile = sourceFile
    }
}

/// The five record kinds, with their canonical file stems and field names.
public enum RecordKind: Int, Sendable, CaseIterable, Hashable {
    case members, enrollment, pharmacyClaims, medicalClaims, observations

    /// File name without extension: `pharmacy_claims`.
    public var fileStem: String {
        switch self {
        case .members: "members"
        case .enrollment: "enrollment"
        case .pharmacyClaims: "pharmacy_claims"
        case .medicalClaims: "medical_claims"
        case .observations: "observations"
        }
    }

    /// Canonical field names in canonical column order (data-model.md).
    public var fields: [String] {
        switch self {
        case .members: ["member_id", "birth_date", "sex", "death_date"]
        case .enrollment: ["member_id", "plan_id", "start_date", "end_date"]
        case .pharmacyClaims:
            ["claim_id", "member_id", "fill_date", "ndc", "days_supply", "quantity", "paid_amount",
             "patient_pay", "status", "rx_number", "fill_number", "pharmacy_id", "prescriber_id"]
        case .medicalClaims:
            ["claim_id", "member_id", "from_date", "thru_date", "setting", "dx_codes", "proc_codes", "paid_amount"]
        case .observations: ["member_id", "date", "code", "value", "unit"]
        }
    }

    /// Index of `member_id` in `fields`.
    public var memberField: Int { self == .pharmacyClaims || self == .medicalClaims ? 1 : 0 }

    public init?(fileStem: String) {
        guard let kind = RecordKind.allCases.first(where: { $0.fileStem == fileStem }) else { return nil }
        self = kind
    }
}
