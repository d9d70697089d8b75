import RxValues

/// How a member fills one therapy line.
enum FillBehaviour: Int, Sendable, CaseIterable {
    case adherent, gappy, earlyRefiller, stockpiler, discontinuer, switcher

    var feature: SynthFeature {
        switch self {
        case .adherent: .goodAdherer
        case .gappy: .gappyFiller
        case .earlyRefiller: .earlyRefiller
        case .stockpiler: .stockpiler
        case .discontinuer: .discontinuer
        case .switcher: .switcher
        }
    }

    /// Relative frequency among therapy lines, in per mille.
    static let weights = [450, 180, 80, 60, 130, 100]
}

/// The `setting` column of medical claims.
enum CareSetting: Sendable {
    case inpatient, snf, hospice, outpatient, emergency, professional

    var text: StaticString {
        switch self {
        case .inpatient: "inpatient"
        case .snf: "snf"
        case .hospice: "hospice"
        case .outpatient: "outpatient"
        case .emergency: "er"
        case .professional: "professional"
        }
    }
}

/// One planned dispensing; claim ids are given when the member's fills are written in date order.
struct PlannedFill: Sendable {
    var day: Day
    var drug: Int
    var daysSupply: Int
    var rxNumber: Int
    var fillNumber: Int
    var prescriber: Int
    var pharmacy: Int
    /// A `reversed` row with the same claim id follows the paid row.
    var reversed: Bool
    /// After a reversal, the pharmacy bills again under a new claim id the same day.
    var rebilled: Bool
    /// Creation order: a stable tie-break when two fills share a day.
    var order: Int
}

/// One planned medical claim header.
struct PlannedMedicalClaim: Sendable {
    var from: Day
    var thru: Day
    var setting: CareSetting
    var diagnoses: String
    var procedures: String
    var paidCents: Int
    var order: Int
}

/// One planned observation.
struct PlannedObservation: Sendable {
    enum Value: Sendable {
        case hba1cTenths(Int)
        case ldlMilligrams(Int)
        case recist(RecistCategory)
        /// The day a patient filed an efficacy-insurance claim (code `CLAIM-NOTICE`).
        case claimNotice
    }

    var day: Day
    var value: Value
    var order: Int
}

/// A coverage span of enrollment.csv.
struct CoverageSpan: Sendable {
    var plan: Int
    var period: Period
}

/// RECIST 1.1 response categories, as written in observations under the code `RECIST`.
enum RecistCategory: Sendable, Equatable {
    case complete, partial, stable, progressive

    var text: StaticString {
        switch self {
        case .complete: "CR"
        case .partial: "PR"
        case .stable: "SD"
        case .progressive: "PD"
        }
    }
}
