import Foundation
import Testing
@testable import RxRecords

@Suite struct NDCTests {
    @Test(arguments: [
        ("00093-7180-56", "00093718056"),   // 5-4-2
        ("0093-7180-56", "00093718056"),    // 4-4-2: leading zero on the labeler
        ("00378-395-05", "00378039505"),    // 5-3-2: leading zero on the product
        ("59762-3327-1", "59762332701"),    // 5-4-1: leading zero on the package
        ("00093718056", "00093718056"),     // already 11 digits
    ])
    func normalisesEveryForm(_ input: String, _ expected: String) throws {
        #expect(try NDC.normalize(input).get() == expected)
    }

    @Test func rejectsAmbiguousAndMalformed() {
        #expect(NDC.normalize("0093718056") == .failure(.init(problem: .ambiguousTenDigits)))
        #expect(NDC.normalize("00093-7180-5A") == .failure(.init(problem: .notDigits)))
        #expect(NDC.normalize("093-7180-56") == .failure(.init(problem: .badShape)))
        #expect(NDC.normalize("000937180561") == .failure(.init(problem: .badShape)))
        #expect(NDC.normalize("") == .failure(.init(problem: .empty)))
        #expect(NDC.normalize("00093-7180-56-1") == .failure(.init(problem: .badShape)))
    }
}

@Suite struct DiagnosisCodeTests {
    @Test func storesWithoutDotsUppercased() {
        #expect(DiagnosisCode.normalize("I21.4") == "I214")
        #expect(DiagnosisCode.normalize("e11.9") == "E119")
        #expect(DiagnosisCode.normalize("E119") == "E119")
        #expect(DiagnosisCode.normalize("4280") == "4280")   // ICD-9 passes through
        #expect(DiagnosisCode.normalize("I21 4") == nil)
        #expect(DiagnosisCode.normalize("") == nil)
        #expect(DiagnosisCode.display("E119") == "E11.9")
        #expect(DiagnosisCode.display("I10") == "I10")
    }
}

@Suite struct CodeTableTests {
    @Test func internsDenseStableIds() {
        var table = CodeTable()
        #expect(table.intern("E119") == 0)
        #expect(table.intern("I10") == 1)
        #expect(table.intern("E119") == 0)
        #expect(table.count == 2)
        #expect(table[1] == "I10")
        #expect(table.id(of: "I10") == 1)
        #expect(table.id(of: "Z99") == nil)
    }

    @Test func survivesGrowthAndLongCodes() {
        var table = CodeTable()
        let codes = (0..<5000).map { "CODE-\($0)" } + (0..<50).map { "A-LONG-LOCAL-CODE-BEYOND-SIXTEEN-BYTES-\($0)" }
        for (index, code) in codes.enumerated() { #expect(table.intern(code) == Int32(index)) }
        for (index, code) in codes.enumerated() {
            #expect(table.id(of: code) == Int32(index))
            #expect(table[Int32(index)] == code)
        }
        #expect(table.id(of: "A-LONG-LOCAL-CODE-BEYOND-SIXTEEN-BYTES-50") == nil)
    }

    @Test func codeSetMembership() {
        var table = CodeTable()
        let ids = ["I214", "I10", "E119", "I500"].map { table.intern($0) }
        let cardiac = CodeSet([ids[0], ids[3]])
        #expect(cardiac.contains(ids[0]))
        #expect(!cardiac.contains(ids[1]))
        #expect(cardiac.contains(ids[3]))
        #expect(!cardiac.contains(900))
        #expect(!cardiac.contains(-1))
    }
}

@Suite struct NDCIndexTests {
    /// Interns `code` through the index (the pharmacy decoding path).
    private func intern(_ code: String, _ index: inout NDCIndex, _ table: inout CodeTable) -> CodeID {
        var copy = code
        return copy.withUTF8 { index.intern(digits: $0, in: &table) }
    }

    @Test func givesTheSameIdsAsTheCodeTableInFirstSeenOrder() {
        // Other codes interned between NDCs share the id sequence: the index must not disturb it.
        var random = SystemRandomNumberGenerator()
        var index = NDCIndex(), viaIndex = CodeTable(), plain = CodeTable()
        for step in 0..<20_000 {
            // A few thousand distinct NDCs (the table grows several times), neighbours included.
            let ndc = String(format: "%011lu", UInt64.random(in: 0...3000, using: &random) * 7 + 99_101_000_000)
            #expect(intern(ndc, &index, &viaIndex) == plain.intern(ndc))
            if step % 97 == 0 {
                let other = "PHARMACY-\(step)"
                #expect(viaIndex.intern(other) == plain.intern(other))
            }
        }
        #expect(viaIndex.count == plain.count)
        for id in 0..<plain.count { #expect(viaIndex[CodeID(id)] == plain[CodeID(id)]) }
    }

    @Test func smallestAndLargestNDCsAreDistinct() {
        var index = NDCIndex(), table = CodeTable()
        #expect(intern("00000000000", &index, &table) == 0)
        #expect(intern("99999999999", &index, &table) == 1)
        #expect(intern("00000000001", &index, &table) == 2)
        #expect(intern("00000000000", &index, &table) == 0)
        #expect(table[0] == "00000000000" && table[1] == "99999999999")
    }
}

@Suite struct SettingBytesTests {
    @Test func everySpellingAndNothingElse() {
        func parse(_ text: String) -> Setting? {
            var copy = text
            return copy.withUTF8 { Setting(bytes: $0) }
        }
        for setting in Setting.allCases { #expect(parse(setting.code) == setting) }
        for wrong in ["", "Inpatient", "inpatients", "snx", "e", "err", "hospicE", "outpatient ", "profession"] {
            #expect(parse(wrong) == nil)
        }
    }
}

@Suite struct SexBytesTests {
    @Test func oneLetterExactly() {
        func parse(_ text: String) -> Sex? {
            var copy = text
            return copy.withUTF8 { Sex(bytes: $0) }
        }
        #expect(parse("F") == .female && parse("M") == .male && parse("U") == .unknown)
        for wrong in ["", "f", "FM", "X", " F"] { #expect(parse(wrong) == nil) }
    }
}

/// Claims whose NDC is already 11 digits take a shortcut past normalisation: the same ids and rejects.
@Suite struct NDCDecodingTests {
    @Test func plainAndDashedFormsShareOneIDAndBadElevenByteNDCsAreRejected() throws {
        var text = RejectTests.header
        let ndcs = ["00093718056", "00093-7180-56", "0093-7180-56", "00378039505", "00378-395-05", "0009371805A",
                    "0093-718056", "00378039505", "1234567890", "00093718056"]
        for (row, ndc) in ndcs.enumerated() { text += "C\(row),M1,2025-01-0\(row % 9 + 1),\(ndc),30,30,1.00,,paid,,,,\n" }
        let (records, report) = try RecordSet.fromCanonicalCSV([.pharmacyClaims: text])
        // Hand oracle: rows 5 (a letter), 6 (11 bytes but a dash in the wrong place) and 8 (10 digits) are rejected.
        #expect(report.rejects.map(\.line) == [7, 8, 10])
        #expect(report.rejects.map(\.reason) == [
            "NDC has characters other than digits and dashes: '0009371805A'",
            "NDC is not 11 digits or a dashed 4-4-2, 5-3-2 or 5-4-1 form: '0093-718056'",
            "undashed 10-digit NDC is ambiguous (4-4-2, 5-3-2 or 5-4-1): '1234567890'",
        ])
        #expect(records.codes.count == 2)
        #expect(records.codes[0] == "00093718056" && records.codes[1] == "00378039505")
        #expect(records.fills.map { records.codes[$0.ndc] }.sorted()
                == ["00093718056", "00093718056", "00093718056", "00093718056", "00378039505", "00378039505", "00378039505"])
    }
}

/// Repeated code lists are read through a cache of raw list texts: the same codes, ids and rejects
/// as reading every list afresh.
@Suite struct CodeListCacheTests {
    @Test func repeatedListsGiveTheCodesOfAFreshRead() throws {
        let lists: [(dx: String, proc: String)] = [
            ("E11.9|I10", "99214|83036"), ("E11.9|I10", "99214|83036"), ("e11.9|i10", "99214"),
            ("E11.9|I10|E78.5|N18.6|Z99.2", "99213"),        // 5 codes: longer than the cache keeps
            ("E11.9|I10|E78.5|N18.6|Z99.2", "99213"),
            ("E11.9|I1-0", "99214"), ("E11.9|I1-0", "99214"), // a bad code, twice: rejected both times
            ("E11.9|I10", ""), ("", "99214|83036"), ("A00.000000000000|B01", "99214"), // 20 bytes: not cached
            ("A00.000000000000|B01", "99214"),
        ]
        var text = "claim_id,member_id,from_date,thru_date,setting,dx_codes,proc_codes,paid_amount\n"
        for (row, list) in lists.enumerated() {
            let date = "2025-01-" + (row < 9 ? "0" : "") + "\(row + 1)"  // one claim a day, in file order
            text += "H\(row),M1,\(date),\(date),professional,\(list.dx),\(list.proc),1.00\n"
        }
        let (records, report) = try RecordSet.fromCanonicalCSV([.medicalClaims: text])
        #expect(report.rejects.map(\.line) == [7, 8])
        #expect(report.rejects.allSatisfy { $0.reason == "bad diagnosis code 'I1-0'" })
        let claims = records.medicalClaims
        let diagnoses = claims.map { records.diagnoses(of: $0).map { records.codes[$0] } }
        let procedures = claims.map { records.procedures(of: $0).map { records.codes[$0] } }
        #expect(diagnoses == [
            ["E119", "I10"], ["E119", "I10"], ["E119", "I10"],
            ["E119", "I10", "E785", "N186", "Z992"], ["E119", "I10", "E785", "N186", "Z992"],
            ["E119", "I10"], [], ["A00000000000000", "B01"], ["A00000000000000", "B01"],
        ])
        #expect(procedures == [
            ["99214", "83036"], ["99214", "83036"], ["99214"], ["99213"], ["99213"],
            [], ["99214", "83036"], ["99214"], ["99214"],
        ])
        // Ids in first-seen order, shared by every spelling of a code.
        #expect((0..<records.codes.count).map { records.codes[CodeID($0)] }
                == ["E119", "I10", "99214", "83036", "E785", "N186", "Z992", "99213", "A00000000000000", "B01"])
    }
}
