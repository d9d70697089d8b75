import RxLanguage
import RxRecords

/// Which kinds of record a checked pack can read, so a run reads only the files it needs.
public enum RecordUse {
    /// The record kinds `checked` reads: the lists it names (`fills`, `medical`, `observations`,
    /// `enrollment`), pharmacy claims for claim rules, enrollment for `enrolled(...)` and for
    /// contracts (their portfolio's plans), and members
    /// always (ages, sexes and death dates are cheap to read and define who the members are).
    public static func kinds(of checked: PackCheckResult) -> Set<RxRecords.RecordKind> {
        var kinds: Set<RxRecords.RecordKind> = [.members]
        for resolution in checked.pack.resolutions.values {
            switch resolution {
            case .root("fills"), .claimContext: kinds.insert(.pharmacyClaims)
            case .root("medical"): kinds.insert(.medicalClaims)
            case .root("observations"): kinds.insert(.observations)
            case .root("enrollment"), .builtin("enrolled", _): kinds.insert(.enrollment)
            case .root("member"): break
            // A list this analysis does not know: read everything rather than guess.
            case .root: kinds.formUnion(RxRecords.RecordKind.allCases)
            default: break
            }
        }
        for file in checked.syntax {
            for declaration in file.declarations {
                switch declaration.kind {
                case .claimRule: kinds.insert(.pharmacyClaims)
                // A contract's portfolio is broken down by the plan in force (enrollment).
                case .contract: kinds.insert(.enrollment)
                default: break
                }
            }
        }
        return kinds
    }

    /// Whether `checked` can read a pharmacy claim's `pharmacy_id`, `prescriber_id` or `rx_number`:
    /// true when its text names one of them anywhere (comments too: a cheap, safe over-approximation).
    public static func readsPharmacyIdentifiers(_ checked: PackCheckResult) -> Bool {
        checked.sources.contains { source in
            let text = String(decoding: source.bytes, as: UTF8.self)
            return text.contains("pharmacy_id") || text.contains("prescriber_id") || text.contains("rx_number")
        }
    }
}
