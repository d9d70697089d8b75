import RxValues
import Testing
@testable import RxSynth

/// One clean data set shared by the suites that only read it.
let cleanData = Result { try Generated(members: 3_000, seed: 20_251) }

@Suite("Canonical layout")
struct ContractTests {
    @Test("every file starts with its canonical header and every row keeps the contract", arguments: SynthFile.allCases)
    func headerAndRows(file: SynthFile) throws {
        let table = try cleanData.get().table(file)
        #expect(table.header == file.columns.joined(separator: ","))
        #expect(!table.lines.isEmpty)
        let violations = table.lines.compactMap { line in contractViolation(file, line).map { "\($0): \(line)" } }
        #expect(violations.isEmpty, "\(violations.prefix(3))")
    }

    @Test("the summary counts the rows written")
    func rowCounts() throws {
        let data = try cleanData.get()
        for file in SynthFile.allCases {
            #expect(data.table(file).lines.count == data.summary.rows(file))
            #expect(data.summary.corruptedRows(file) == 0)
        }
        #expect(data.summary.rows(.members) == 3_000)
    }

    @Test("member ids are unique and every record belongs to a member")
    func memberIDs() throws {
        let data = try cleanData.get()
        let members = data.table(.members).rows.map { $0[0] }
        #expect(Set(members).count == members.count)
        #expect(members.first == "M00000001")
        let known = Set(members)
        #expect(data.table(.enrollment).rows.allSatisfy { known.contains($0[0]) })
        #expect(data.table(.pharmacyClaims).rows.allSatisfy { known.contains($0[1]) })
        #expect(data.table(.medicalClaims).rows.allSatisfy { known.contains($0[1]) })
        #expect(data.table(.observations).rows.allSatisfy { known.contains($0[0]) })
    }

    @Test("claim ids are unique per status and rx numbers belong to their member")
    func claimIDs() throws {
        let data = try cleanData.get()
        let pharmacy = data.table(.pharmacyClaims).rows
        #expect(Set(pharmacy.map { $0[0] + "/" + $0[8] }).count == pharmacy.count)
        #expect(pharmacy.allSatisfy { $0[9].hasPrefix("RX" + $0[1].dropFirst()) })
        let medical = data.table(.medicalClaims).rows.map { $0[0] }
        #expect(Set(medical).count == medical.count)
    }

    @Test("all dates of the history fall in the year before and the measurement year", arguments: [2025, 2030])
    func historyWindow(year: Int) throws {
        let data = try Generated(members: 400, seed: 5, year: year)
        let first = try #require(Day(year: year - 1, month: 1, day: 1))
        let last = try #require(Day(year: year, month: 12, day: 31))
        let window = Period(first, last)
        let days = data.table(.pharmacyClaims).rows.compactMap { Day($0[2]) }
            + data.table(.enrollment).rows.flatMap { [Day($0[2]), Day($0[3])].compactMap { $0 } }
            + data.table(.observations).rows.compactMap { Day($0[1]) }
        #expect(days.count > 1_000)
        #expect(days.allSatisfy { window.contains($0) })
    }

    @Test("money has two decimals, quantities are positive, NDCs come from the catalogue")
    func values() throws {
        let data = try cleanData.get()
        let catalogue = Set(DrugCatalog.all.map(\.ndc))
        for row in data.table(.pharmacyClaims).rows {
            #expect(catalogue.contains(row[3]))
            #expect(row[6].split(separator: ".").last?.count == 2)
            #expect(row[7].split(separator: ".").last?.count == 2)
        }
    }
}

@Suite("Value sets")
struct ValueSetTests {
    @Test("each value set has the columns code, ingredient, class, description and well-formed NDCs")
    func files() throws {
        let data = try cleanData.get()
        var seen: [String: String] = [:]
        for valueSet in DrugValueSet.allCases {
            let table = Table(data.files["valuesets/" + valueSet.fileName] ?? [])
            #expect(table.header == "code,ingredient,class,description")
            #expect(!table.lines.isEmpty)
            for row in table.rows {
                #expect(row.count == 4)
                #expect(row[0].count == 11 && row[0].allSatisfy(\.isNumber))
                #expect(seen[row[0]] == nil, "NDC \(row[0]) in two value sets")
                seen[row[0]] = valueSet.rawValue
            }
        }
        #expect(seen.count == DrugCatalog.all.count)
        // The PQA-style exclusions sit in their own sets, apart from the target classes.
        #expect(seen["99121010160"] == "sacubitril_valsartan")
        #expect(seen["99141010115"] == "insulin")
        #expect(seen["99133070103"] == "diabetes")
    }

    @Test("every class the brief names is filled in the data")
    func classesPresent() throws {
        let data = try cleanData.get()
        let valueSets = Set(data.table(.pharmacyClaims).rows.compactMap { DrugCatalog.drug(ndc: $0[3])?.valueSet })
        #expect(valueSets == Set(DrugValueSet.allCases))
        let classes = Set(data.table(.pharmacyClaims).rows.compactMap { DrugCatalog.drug(ndc: $0[3])?.drugClass })
        for drugClass in ["statin", "ACE inhibitor", "ARB", "biguanide", "GLP-1 receptor agonist", "insulin",
                          "PCSK9 inhibitor", "ARNI", "antineoplastic", "statin combination",
                          "ACE inhibitor combination"] {
            #expect(classes.contains(drugClass), "\(drugClass)")
        }
    }
}
