import Foundation
import Testing

/// `rxrules explain` on the domain guide's payer-refund case (§2.5, T10): every value with the
/// claims behind it, each claim described once.
@Suite struct ExplainCommandTests {
    /// Eight 28-day evolocumab fills from 6 Jan 2025 at 520.00, then an MI admission on 10 Aug.
    static func repathaCase() throws -> URL {
        let folder = try scratchDirectory()
        var fills = "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount\n"
        var day = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                                 year: 2025, month: 1, day: 6).date ?? Date()
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd"
        format.timeZone = TimeZone(identifier: "UTC")
        for number in 1...8 {
            fills += "C\(number),P1,\(format.string(from: day)),99151010102,28,2,520.00\n"
            day.addTimeInterval(28 * 86_400)
        }
        let files = [
            "members.csv": "member_id,birth_date,sex\nP1,1960-03-01,M\nP2,1970-01-01,F\n",
            "pharmacy_claims.csv": fills,
            "medical_claims.csv": "claim_id,member_id,from_date,thru_date,setting,dx_codes\nH1,P1,2025-08-10,2025-08-14,inpatient,I21.4\n",
        ]
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        return folder
    }

    @Test func everyValueNamesItsClaimsAndEachClaimIsDescribedOnce() throws {
        let data = try Self.repathaCase()
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try rxrules(["explain", "--pack", "rules/statin-cv-refund", "--data", data.path, "--member", "P1"])
        #expect(result.status == 0, "\(result.standardError)")
        let text = result.standardOutput
        #expect(text.contains("member P1: born 1960-03-01, sex M; 8 pharmacy claims, 1 medical claims"))
        #expect(text.contains("contract cv_refund\n  eligible = true\n      from C1\n"))
        #expect(text.contains("  cv = 2025-08-10 H1\n      from H1\n"))
        // 8 x 520.00, from the eight fills before the admission.
        #expect(text.contains("  payout = 4160.00 (exact value rounded half-even to the cent)\n      from C1 C2 C3 C4 C5 C6 C7 C8\n"))
        #expect(text.contains("\nclaims behind these values:\n  C1  fill 2025-01-06  ndc 99151010102  28 days  quantity 2  paid 520.00\n"))
        #expect(text.contains("  C8  fill 2025-07-21  ndc 99151010102  28 days  quantity 2  paid 520.00\n"))
        #expect(text.hasSuffix("  H1  inpatient 2025-08-10..2025-08-14  dx I214\n"))
        #expect(text.components(separatedBy: "  C8  fill").count == 2, "each claim described once")
    }

    @Test func onlyTheNamedOutputsAreShown() throws {
        let data = try Self.repathaCase()
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try rxrules(["explain", "--pack", "rules/pqa-adherence", "--pack", "rules/statin-cv-refund",
                                  "--data", data.path, "--member", "P1", "--output", "cv_refund"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("contract cv_refund"))
        #expect(!result.standardOutput.contains("measure pdc_sta"))
    }

    @Test func aMemberWithNoRowSaysWhy() throws {
        let data = try Self.repathaCase()
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try rxrules(["explain", "--pack", "rules/pqa-adherence", "--data", data.path, "--member", "P2"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("measure pdc_sta: no row (not included: an include condition does not hold)"))
    }

    @Test func anUnknownMemberFailsAndAnUnknownOutputIsAUsageError() throws {
        let data = try Self.repathaCase()
        defer { try? FileManager.default.removeItem(at: data) }
        let missing = try rxrules(["explain", "--pack", "rules/statin-cv-refund", "--data", data.path, "--member", "NOPE"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("member NOPE is not in"))
        let wrong = try rxrules(["explain", "--pack", "rules/statin-cv-refund", "--data", data.path, "--member", "P1",
                                 "--output", "nope"])
        #expect(wrong.status == 2)
        #expect(wrong.standardError.contains("--output nope is not an output"))
    }
}
