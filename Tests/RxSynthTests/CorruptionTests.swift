import RxValues
import Testing
@testable import RxSynth

/// The same members clean and at a 1 % corruption rate.
let cleanForCorruption = Result { try Generated(members: 2_500, seed: 77) }
let dirtyData = Result { try Generated(members: 2_500, seed: 77, corruptionPerMillion: 10_000) }

@Suite("Corrupted rows")
struct CorruptionTests {
    @Test("about 1 % of rows are corrupted at rate 0.01, and every kind occurs")
    func rate() throws {
        let summary = try dirtyData.get().summary
        let rows = SynthFile.allCases.map { summary.rows($0) }.reduce(0, +)
        let corrupted = SynthFile.allCases.map { summary.corruptedRows($0) }.reduce(0, +)
        // ~50,000 rows: the expected 1 % is ~500 rows with a standard deviation of ~22.
        #expect(rows > 40_000)
        #expect(corrupted * 1_000 >= rows * 8 && corrupted * 1_000 <= rows * 12, "\(corrupted) of \(rows)")
        for file in SynthFile.allCases { #expect(summary.corruptedRows(file) > 0, "\(file)") }
        for kind in Corruption.allCases { #expect(summary.count(kind) > 0, "\(kind)") }
    }

    @Test("rows that were not corrupted are exactly the clean rows", arguments: SynthFile.allCases)
    func cleanRowsUntouched(file: SynthFile) throws {
        let clean = try cleanForCorruption.get().table(file).lines
        let dirty = try dirtyData.get()
        let dirtyLines = dirty.table(file).lines
        let cleanSet = Set(clean)
        let dirtySet = Set(dirtyLines)
        let added = dirtyLines.filter { !cleanSet.contains($0) }
        let removed = clean.filter { !dirtySet.contains($0) }
        let summary = dirty.summary
        let extraRows = file == .pharmacyClaims ? summary.count(.orphanReversal) : 0
        let tail = (file == .pharmacyClaims || file == .observations) ? 1 : 0
        let duplicates = file == .members ? summary.count(.duplicateMember) : 0
        // Replaced rows disappear from the clean set; replaced, orphan and tail rows are new.
        #expect(removed.count == summary.corruptedRows(file) - extraRows - tail - duplicates)
        #expect(added.count == summary.corruptedRows(file) - duplicates)
        #expect(dirtyLines.count == clean.count + extraRows + tail + duplicates)
    }

    @Test("every replaced row breaks the data-model contract", arguments: SynthFile.allCases)
    func replacedRowsAreInvalid(file: SynthFile) throws {
        let cleanSet = Set(try cleanForCorruption.get().table(file).lines)
        let added = try dirtyData.get().table(file).lines.filter { !cleanSet.contains($0) }
        let valid = added.filter { contractViolation(file, $0) == nil }
        if file == .pharmacyClaims {
            // The only valid-looking new rows are orphan reversals: their claim id is never paid.
            let paid = Set(try dirtyData.get().table(.pharmacyClaims).rows.filter { $0[8] == "paid" }.map { $0[0] })
            #expect(valid.allSatisfy { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return fields[8] == "reversed" && !paid.contains(String(fields[0]))
            })
            #expect(valid.count == (try dirtyData.get().summary.count(.orphanReversal)))
        } else {
            #expect(valid.isEmpty, "\(valid.prefix(3))")
        }
    }

    @Test("the corrupted values named in the data model appear")
    func namedCorruptions() throws {
        let pharmacy = try dirtyData.get().table(.pharmacyClaims)
        let rows = pharmacy.rows.filter { $0.count == SynthFile.pharmacyClaims.columns.count }
        #expect(rows.contains { $0[4] == "0" })
        #expect(rows.contains { $0[4] == "400" })
        #expect(rows.contains { $0[6] == "12.3.4" })
        let badDates = ["-02-30", "-04-31", "-13-01", "-00-10"]
        #expect(rows.contains { row in badDates.contains { row[2].hasSuffix($0) } })
        let bytes = try dirtyData.get().files[SynthFile.pharmacyClaims.fileName] ?? []
        #expect(String(validating: bytes, as: UTF8.self) == nil, "invalid UTF-8 expected")
        let members = try dirtyData.get().table(.members).rows.map { $0[0] }
        #expect(Set(members).count < members.count, "a duplicate member expected")
    }

    @Test("the unterminated quote is the last row of pharmacy claims and observations")
    func unterminatedQuote() throws {
        let dirty = try dirtyData.get()
        for file in [SynthFile.pharmacyClaims, .observations] {
            let last = try #require(dirty.table(file).lines.last)
            #expect(last.filter { $0 == "\"" }.count == 1)
        }
        let clean = try cleanForCorruption.get()
        #expect(!clean.files.values.contains { $0.contains(UInt8(ascii: "\"")) })
    }
}
