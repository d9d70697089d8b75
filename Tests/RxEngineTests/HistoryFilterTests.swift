import Foundation
import RxLanguage
import RxRecords
import RxValues
import Testing

@testable import RxEngine

/// `history where` conditions take shortcuts when they are plain (see `HistoryFilter`); a condition
/// that reads a define is not plain and runs as written. pbm-edits and the same pack with
/// `as_written and` (a define, always true) put in front of every history condition must decide
/// every claim alike.
@Suite("History filter shortcuts")
struct HistoryFilterTests {
    /// Codes of every pbm-edits value set, so each rule selects claims.
    static func packCodes() throws -> [String] {
        let folder = repositoryRoot() + "/rules/pbm-edits/valuesets/"
        var codes = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".csv") {
            let text = try String(contentsOfFile: folder + file, encoding: .utf8)
            for line in text.split(separator: "\n").dropFirst() {
                if let code = line.split(separator: ",").first { codes.insert(String(code)) }
            }
        }
        return codes.sorted()
    }

    /// Members with 1–25 paid fills over two years, some on the same day, quantities up to 12.
    static func generate(members: Int, seed: UInt64, codes: [String]) -> [RxRecords.RecordKind: String] {
        var random = SplitMix(state: seed)
        var people = "member_id,birth_date,sex,death_date\n"
        var fills = "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount\n"
        guard let start = Day("2024-01-01") else { return [:] }
        var claim = 0
        for member in 0..<members {
            let id = "m\(1000 + member)"
            let birth = Int.random(in: 0..<2, using: &random) == 0 ? "1950-01-01" : "2010-06-01"
            people += "\(id),\(birth),\(Int.random(in: 0..<2, using: &random) == 0 ? "F" : "M"),\n"
            var date = start + Int.random(in: 0..<60, using: &random)
            for _ in 0..<Int.random(in: 1...25, using: &random) {
                claim += 1
                date = date + [0, 5, 12, 20, 25, 28, 40][Int.random(in: 0..<7, using: &random)]
                let days = [7, 30, 34, 60, 90][Int.random(in: 0..<5, using: &random)]
                let ndc = codes[Int.random(in: 0..<codes.count, using: &random)]
                fills += "c\(claim),\(id),\(date),\(ndc),\(days),\(Int.random(in: 1...12, using: &random)),1.00\n"
            }
        }
        return [.members: people, .pharmacyClaims: fills]
    }

    /// pbm-edits as shipped, and with every history condition made not plain.
    static func plans(codes table: CodeTable) throws -> (shortcut: EnginePlan, asWritten: EnginePlan) {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/pbm-edits")
        var rewritten = folder
        var changed = 0
        for index in rewritten.files.indices where rewritten.files[index].relativePath == "edits.rules" {
            let original = String(decoding: rewritten.files[index].bytes, as: UTF8.self)
            let pattern = try Regex(#"history\s+where "#)
            changed = original.matches(of: pattern).count
            let text = original.replacing(pattern) { match in original[match.range] + "as_written and " }
            rewritten.files[index].bytes = Array((text + "\ndefine as_written = true\n").utf8)
        }
        #expect(changed == 5, "every history filter of pbm-edits is rewritten")
        let shortcut = PackChecker.check(folder: folder)
        let asWritten = PackChecker.check(folder: rewritten)
        #expect(!shortcut.hasErrors && !asWritten.hasErrors)
        return (try EnginePlan(checked: shortcut, codes: table), try EnginePlan(checked: asWritten, codes: table))
    }

    @Test("plain and as-written history conditions give the same decisions", arguments: [UInt64(1), 2, 3])
    func sameDecisions(seed: UInt64) throws {
        let (records, report) = try RecordSet.fromCanonicalCSV(Self.generate(members: 200, seed: seed, codes: try Self.packCodes()))
        #expect(report.rejects.isEmpty)
        let (shortcut, asWritten) = try Self.plans(codes: records.codes)
        var rejectsByRule: [String: Int] = [:]
        for index in 0..<records.memberCount {
            let history = records.history(at: index)
            let fast = shortcut.evaluate(member: history, in: records).claimRules
            let slow = asWritten.evaluate(member: history, in: records).claimRules
            #expect(fast.map(\.rule) == slow.map(\.rule))
            for (mine, reference) in zip(fast, slow) {
                #expect(mine.decisions.map(\.claimIndex) == reference.decisions.map(\.claimIndex))
                #expect(mine.decisions.map(\.rejects) == reference.decisions.map(\.rejects), "\(history.memberID) \(mine.rule)")
                rejectsByRule[mine.rule, default: 0] += mine.decisions.filter { !$0.pays }.count
            }
        }
        // Not vacuous: every rule with a history condition rejected some claims.
        for rule in ["refill_too_soon", "refill_too_soon_cumulative", "step_therapy", "duplicate_therapy", "quantity_window_limit"] {
            #expect(rejectsByRule[rule, default: 0] > 0, "\(rule) rejected nothing")
        }
    }
}
