/// A behaviour or event the generator planted, counted so that a run can show its mix.
public enum SynthFeature: Int, Sendable, CaseIterable, CustomStringConvertible {
    case goodAdherer, gappyFiller, earlyRefiller, stockpiler, discontinuer, switcher
    case combinationProduct, reversal, inpatientStay, snfStay, hospice, esrd, death
    case enrollmentGap, planSwitch, outcomeEvent, secondaryPositionOutcome, oncologyCycles, labResult

    public var description: String {
        switch self {
        case .goodAdherer: "good adherer therapy lines"
        case .gappyFiller: "gappy filler therapy lines"
        case .earlyRefiller: "early refiller therapy lines"
        case .stockpiler: "stockpiler therapy lines"
        case .discontinuer: "discontinuer therapy lines"
        case .switcher: "switches within a class"
        case .combinationProduct: "combination product fills"
        case .reversal: "reversed claims"
        case .inpatientStay: "inpatient stays"
        case .snfStay: "skilled nursing stays"
        case .hospice: "members in hospice"
        case .esrd: "members with ESRD"
        case .death: "deaths"
        case .enrollmentGap: "enrollment gaps"
        case .planSwitch: "plan switches"
        case .outcomeEvent: "MI/stroke admissions (principal)"
        case .secondaryPositionOutcome: "MI/stroke coded in a secondary position"
        case .oncologyCycles: "oncology cycles"
        case .labResult: "observations (labs, tumour responses, claim notices)"
        }
    }
}

/// How a row was corrupted on purpose, so that the rejects path of a reader is exercised.
public enum Corruption: Int, Sendable, CaseIterable, CustomStringConvertible {
    case impossibleDate, daysSupplyZero, daysSupplyOver365, malformedMoney, missingRequiredField
    case wrongColumnCount, invalidUTF8, orphanReversal, duplicateMember, unknownSetting, unterminatedQuote

    public var description: String {
        switch self {
        case .impossibleDate: "impossible date"
        case .daysSupplyZero: "days_supply 0"
        case .daysSupplyOver365: "days_supply 400"
        case .malformedMoney: "malformed money"
        case .missingRequiredField: "missing required field"
        case .wrongColumnCount: "wrong column count"
        case .invalidUTF8: "invalid UTF-8"
        case .orphanReversal: "orphan reversal"
        case .duplicateMember: "duplicate member"
        case .unknownSetting: "unknown setting"
        case .unterminatedQuote: "unterminated quote"
        }
    }
}

/// What a run wrote: rows per file (header excluded), corrupted rows and the behaviour mix.
public struct SynthSummary: Sendable, Equatable {
    private(set) var rowCounts = [Int](repeating: 0, count: SynthFile.allCases.count)
    private(set) var corruptedCounts = [Int](repeating: 0, count: SynthFile.allCases.count)
    private(set) var corruptionCounts = [Int](repeating: 0, count: Corruption.allCases.count)
    private(set) var featureCounts = [Int](repeating: 0, count: SynthFeature.allCases.count)

    /// An empty summary.
    public init() {}

    /// Data rows written to `file`, corrupted ones included.
    public func rows(_ file: SynthFile) -> Int { rowCounts[file.rawValue] }
    /// Corrupted rows written to `file`.
    public func corruptedRows(_ file: SynthFile) -> Int { corruptedCounts[file.rawValue] }
    /// Rows corrupted in this way, over all files.
    public func count(_ corruption: Corruption) -> Int { corruptionCounts[corruption.rawValue] }
    /// How often a behaviour or event was planted.
    public func count(_ feature: SynthFeature) -> Int { featureCounts[feature.rawValue] }

    mutating func addRow(_ file: SynthFile) { rowCounts[file.rawValue] += 1 }
    mutating func add(_ feature: SynthFeature, _ amount: Int = 1) { featureCounts[feature.rawValue] += amount }
    mutating func addCorrupted(_ file: SynthFile, _ corruption: Corruption) {
        corruptedCounts[file.rawValue] += 1
        corruptionCounts[corruption.rawValue] += 1
    }

    mutating func merge(_ other: SynthSummary) {
        for index in rowCounts.indices { rowCounts[index] += other.rowCounts[index] }
        for index in corruptedCounts.indices { corruptedCounts[index] += other.corruptedCounts[index] }
        for index in corruptionCounts.indices { corruptionCounts[index] += other.corruptionCounts[index] }
        for index in featureCounts.indices { featureCounts[index] += other.featureCounts[index] }
    }
}
