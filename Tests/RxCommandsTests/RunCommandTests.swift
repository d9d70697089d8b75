import Foundation
import Testing

/// Reads every file of a run's output folder.
func outputs(_ folder: URL) throws -> [String: String] {
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
        files[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }
    return files
}

/// RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks.
func csvRows(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false, afterQuote = false
    for character in text {
        if quoted {
            if character == "\"" { quoted = false; afterQuote = true } else { field.append(character) }
            continue
        }
        switch character {
        case "\"": if afterQuote { field.append("\"") }; quoted = true; afterQuote = false
        case ",": row.append(field); field = ""; afterQuote = false
        case "\n": row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
        default: field.append(character); afterQuote = false
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

@Suite struct RunCommandTests {
    @Test func pqaAdherenceOnTheExampleData() throws {
        let out = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try rxrules(["run", "--pack", "rules/pqa-adherence", "--data", "examples/data", "--out", out.path])
        #expect(result.status == 0, "\(result.standardError)")
        let files = try outputs(out)
        #expect(Set(files.keys) == ["pdc_sta.csv", "pdc_rasa.csv", "pdc_dr.csv", "rejects.csv", "summary.json"])
        let rows = csvRows(try #require(files["pdc_sta.csv"]))
        #expect(rows[0] == ["member_id", "ipsd", "treatment_days", "covered_days", "pdc", "adherent",
                            "pack", "pack_version", "pack_hash"])
        let body = rows.dropFirst()
        #expect(!body.isEmpty)
        #expect(body.map { $0[0] } == body.map { $0[0] }.sorted(), "rows sorted by member_id")
        let hash = try rxrules(["packs", "list", "rules/pqa-adherence"]).standardOutput
        for row in body {
            #expect(row.count == 9)
            #expect(row[6] == "pqa-adherence" && row[7] == "2025.1.0")
            #expect(hash.contains(String(row[8].dropFirst("sha256:".count).prefix(16))))
            // 0 <= pdc <= 1 and covered <= treatment, exactly as written.
            let covered = Int(row[3]) ?? -1, treatment = Int(row[2]) ?? -1
            #expect(covered <= treatment && treatment >= 91)
            #expect(row[5] == (covered * 5 >= treatment * 4 ? "true" : "false"))
        }
        // No silent loss: every file balances and every member is in a row or counted out.
        let summaryText = try #require(files["summary.json"])
        let summaryObject = try JSONSerialization.jsonObject(with: Data(summaryText.utf8))
        let summary = try #require(summaryObject as? [String: Any])
        let fileSummaries = try #require(summary["files"] as? [[String: Any]])
        #expect(fileSummaries.map { $0["file"] as? String } == ["members.csv", "pharmacy_claims.csv", "medical_claims.csv"])
        for file in fileSummaries { #expect(file["balanced"] as? Bool == true, "\(file)") }
        // PDC reads no enrollment or observations: those files are listed as unused, not read.
        let unused = try #require(summary["unused_files"] as? [[String: String]])
        #expect(unused == [["file": "enrollment.csv", "kind": "enrollment"], ["file": "observations.csv", "kind": "observations"]])
        let members = try #require(summary["members"] as? Int)
        for output in try #require(summary["outputs"] as? [[String: Any]]) {
            let without = (output["without_row"] as? [String: Int] ?? [:]).values.reduce(0, +)
            #expect((output["rows"] as? Int ?? -1) + without == members, "\(output)")
        }
        #expect(files["rejects.csv"] == "file,line,field,reason,raw\n")
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let one = try scratchDirectory(), two = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: one); try? FileManager.default.removeItem(at: two) }
        for (folder, threads) in [(one, "1"), (two, "2")] {
            let result = try rxrules(["run", "--pack", "rules/pqa-adherence", "--pack", "rules/pbm-edits",
                                      "--pack", "rules/statin-cv-refund", "--data", "examples/data",
                                      "--out", folder.path, "--threads", threads])
            #expect(result.status == 0, "\(result.standardError)")
        }
        var first = try outputs(one), second = try outputs(two)
        first["summary.json"] = nil
        second["summary.json"] = nil
        #expect(first.count > 10)
        #expect(first == second)
    }

    @Test func aRunSpilledToDiskWritesTheSameFilesAsAStreamedOne() throws {
        let streamed = try scratchDirectory(), spilled = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: streamed); try? FileManager.default.removeItem(at: spilled) }
        for (folder, extra) in [(streamed, [String]()), (spilled, ["--memory", "64K"])] {
            let result = try rxrules(["run", "--pack", "rules/pqa-adherence", "--pack", "rules/pbm-edits",
                                      "--pack", "rules/statin-cv-refund", "--data", "examples/data",
                                      "--out", folder.path] + extra)
            #expect(result.status == 0, "\(result.standardError)")
        }
        var first = try outputs(streamed), second = try outputs(spilled)
        let spilledSummary = second["summary.json"] ?? ""
        first["summary.json"] = nil
        second["summary.json"] = nil
        #expect(first.count > 10)
        #expect(first == second)
        #expect(!first.keys.contains { $0.hasSuffix(".partial") })
        // The spill really happened, and every member was still evaluated once.
        #expect(spilledSummary.contains("\"members\" : 400"))
        #expect(!spilledSummary.contains("\"partitions\" : 1,"))
        #expect(spilledSummary.contains("\"partitions\" : "))
    }

    @Test func rejectedRowsAreWrittenAndTheBudgetDecidesTheExitStatus() throws {
        let strict = try scratchDirectory(), lenient = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: strict); try? FileManager.default.removeItem(at: lenient) }
        let failed = try rxrules(["run", "--pack", "rules/pqa-adherence", "--data", "examples/data-dirty", "--out", strict.path])
        #expect(failed.status == 1)
        #expect(failed.standardError.contains("exceed --max-rejects 0"))
        let files = try outputs(strict)
        #expect(files["pdc_sta.csv"] != nil, "everything is written even over budget")
        let rejects = csvRows(try #require(files["rejects.csv"])).dropFirst()
        #expect(rejects.count >= 10)
        for reject in rejects {
            #expect(reject.count == 5, "file, line, field, reason, raw: \(reject)")
            #expect(reject.count > 1 && Int(reject[1]) != nil, "a line number: \(reject)")
        }
        let passed = try rxrules(["run", "--pack", "rules/pqa-adherence", "--data", "examples/data-dirty",
                                  "--out", lenient.path, "--max-rejects", "5%"])
        #expect(passed.status == 0, "\(passed.standardError)")
    }

    @Test func aPackModuleGivesTheSameResultsAsItsFolder() throws {
        let folderRun = try scratchDirectory(), moduleRun = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folderRun); try? FileManager.default.removeItem(at: moduleRun) }
        let module = builtProductsDirectory().appendingPathComponent("libStatinCvRefund.so").path
        for (out, pack) in [(folderRun, "rules/statin-cv-refund"), (moduleRun, module)] {
            let result = try rxrules(["run", "--pack", pack, "--pack", "rules/pqa-adherence", "--data", "examples/data", "--out", out.path])
            #expect(result.status == 0, "\(result.standardError)")
        }
        var first = try outputs(folderRun), second = try outputs(moduleRun)
        first["summary.json"] = nil
        second["summary.json"] = nil
        #expect(first == second)
    }

    /// A measure with `for each` writes one row per element, numbered within the member; the order
    /// (member, then row number as a number) and the bytes do not depend on threads or spilling.
    @Test func aForEachMeasureWritesOneRowPerElement() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pack = scratch.appendingPathComponent("fill-rows")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        try """
            pack "fill-rows" version "1.0.0"

            measure fill_count "Fills per member"
              include when any(fills)
              value fills = count(fills)

            measure fill_rows "One row per fill"
              include when any(fills)
              for each fill in fills
              value date = fill.fill_date
              value days = fill.days_supply

            # A gap cannot be longer than the 365-day year it lies in: every member has no rows.
            measure long_gaps "Gaps over a year"
              include when any(fills)
              for each gap in gaps(supply(fills), within: 2025-01-01 .. 2025-12-31, longer_than: 400 days)
              value start = gap.start

            """.write(to: pack.appendingPathComponent("pack.rules"), atomically: true, encoding: .utf8)
        var runs: [[String: String]] = []
        for extra in [["--threads", "1"], ["--threads", "2"], ["--memory", "64K"]] {
            let out = scratch.appendingPathComponent("out\(runs.count)")
            let result = try rxrules(["run", "--pack", pack.path, "--data", "examples/data", "--out", out.path] + extra)
            #expect(result.status == 0, "\(result.standardError)")
            var files = try outputs(out)
            files["summary.json"] = files["summary.json"].map { _ in "" }
            runs.append(files)
        }
        #expect(runs[0] == runs[1] && runs[0] == runs[2])
        let files = runs[0]
        let counts = Dictionary(uniqueKeysWithValues: csvRows(try #require(files["fill_count.csv"])).dropFirst().map {
            ($0[0], Int($0[1]) ?? -1)
        })
        let rows = csvRows(try #require(files["fill_rows.csv"]))
        #expect(rows[0] == ["member_id", "fill", "date", "days", "pack", "pack_version", "pack_hash"])
        var seen: [String: Int] = [:], order: [String] = [], lastDate: [String: String] = [:]
        for row in rows.dropFirst() {
            let member = row[0]
            if seen[member] == nil { order.append(member) }
            seen[member, default: 0] += 1
            // Rows are numbered 1, 2, ... within the member in list order (fills are in date order).
            #expect(Int(row[1]) == seen[member], "\(row)")
            #expect(row[2] >= (lastDate[member] ?? ""), "\(row)")
            lastDate[member] = row[2]
        }
        #expect(order == order.sorted() && order.count == Set(order).count, "members in order, each once")
        #expect(seen == counts, "one row per fill")
        #expect(seen.values.contains { $0 >= 10 }, "some member has 10 rows or more (row 10 sorts after row 9)")
        #expect(csvRows(try #require(files["long_gaps.csv"])).count == 1, "header only")
        // The summary counts the rows, and members with an empty list under 'no rows'.
        let summaryText = try String(contentsOf: scratch.appendingPathComponent("out0/summary.json"), encoding: .utf8)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(summaryText.utf8)) as? [String: Any])
        let outputs = try #require(summary["outputs"] as? [[String: Any]])
        let fillRows = try #require(outputs.first { $0["name"] as? String == "fill_rows" })
        #expect(fillRows["rows"] as? Int == counts.values.reduce(0, +))
        let longGaps = try #require(outputs.first { $0["name"] as? String == "long_gaps" })
        #expect(longGaps["rows"] as? Int == 0)
        #expect((longGaps["without_row"] as? [String: Int])?["no rows"] == counts.count)
        let info = try rxrules(["packs", "info", pack.path]).standardOutput
        #expect(info.contains("  fill_rows (one row per fill): date: Date, days: Int, included: Bool\n"), "\(info)")
        #expect(info.contains("  fill_count: fills: Int, included: Bool\n"), "\(info)")
    }

    @Test func aReplacedValueSetIsCheckedAndChangesTheHash() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let statins = scratch.appendingPathComponent("statins.csv")
        try "code,ingredient\n99101012430,atorvastatin\n".write(to: statins, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("out")
        let result = try rxrules(["run", "--pack", "rules/pqa-adherence", "--data", "examples/data", "--out", out.path,
                                  "--valueset", "statins=\(statins.path)"])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("\"value_set_overrides\" : {\n        \"statins\""))
        let broken = scratch.appendingPathComponent("broken.csv")
        try "ndc,name\n99101012430,atorvastatin\n".write(to: broken, atomically: true, encoding: .utf8)
        let refused = try rxrules(["run", "--pack", "rules/pqa-adherence", "--data", "examples/data", "--out", out.path,
                                   "--valueset", "statins=\(broken.path)"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("statins.csv"))
    }

    @Test func aClaimIsRejectedWhenAnyRuleRejectsIt() throws {
        let out = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try rxrules(["run", "--pack", "rules/pbm-edits", "--data", "examples/data", "--out", out.path])
        #expect(result.status == 0, "\(result.standardError)")
        var files = try outputs(out)
        let combinedText = files.removeValue(forKey: "claim_decisions_pbm_edits.csv")
        let combined = csvRows(try #require(combinedText)).dropFirst()
        var rejectsByClaim: [String: Set<String>] = [:]
        for (name, text) in files where name.hasSuffix(".csv") && name != "rejects.csv" {
            let rule = String(name.dropLast(4))
            for row in csvRows(text).dropFirst() {
                #expect(row[3] == (row[4].isEmpty ? "pay" : "reject"), "\(rule): \(row)")
                rejectsByClaim[row[0], default: []].formUnion(row[4].split(separator: "|").map { "\(rule):\($0)" })
            }
        }
        #expect(combined.count == rejectsByClaim.count)
        #expect(combined.contains { $0[3] == "reject" })
        for row in combined {
            let listed = Set(row[4].split(separator: "|").map(String.init))
            #expect(listed == rejectsByClaim[row[0]] ?? [], "\(row)")
            #expect(row[3] == (listed.isEmpty ? "pay" : "reject"))
        }
    }

    @Test func aFailingNativeFunctionIsCountedAndFailsTheRunAfterWritingEverything() throws {
        let data = try scratchDirectory(), out = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: data); try? FileManager.default.removeItem(at: out) }
        // P2 would be 175 at the index fill: the pack's risk score refuses the impossible age.
        let files = [
            "members.csv": "member_id,birth_date,sex\nP1,1960-03-01,M\nP2,1850-01-01,M\n",
            "pharmacy_claims.csv": "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount\n"
                + "C1,P1,2025-01-06,99151010102,28,2,520.00\nC2,P2,2025-01-06,99151010102,28,2,520.00\n",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: data.appendingPathComponent(name)) }
        let result = try rxrules(["run", "--pack", "rules/statin-cv-refund", "--data", data.path, "--out", out.path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("statin-cv-refund: 1"), "\(result.standardError)")
        let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains("\"native_failures\" : {\n    \"statin-cv-refund\" : 1\n  }"), "\(summary)")
        // Both members still have their row; P2 is not eligible (the score is missing, never 0).
        let rows = csvRows(try String(contentsOf: out.appendingPathComponent("cv_refund.csv"), encoding: .utf8))
        #expect(rows.count == 3)
        #expect(rows[2][0] == "P2" && rows[2][1] == "false")
    }

    @Test func aPackThatReadsPharmacyIdsGetsThem() throws {
        // Pharmacy and prescriber ids are read only for packs that name them: this one does.
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pack = scratch.appendingPathComponent("identifiers"), data = scratch.appendingPathComponent("data")
        let out = scratch.appendingPathComponent("out")
        for folder in [pack, data] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let rules = """
            pack "identifiers" version "1.0.0"

            measure first_fill "Where the first fill came from"
              include when any(fills)
              value pharmacy = first(fills).pharmacy_id
              value prescriber = first(fills).prescriber_id
              value rx = first(fills).rx_number

            """
        try Data(rules.utf8).write(to: pack.appendingPathComponent("pack.rules"))
        let files = [
            "members.csv": "member_id,birth_date,sex\nP1,1960-03-01,M\n",
            "pharmacy_claims.csv": "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount,pharmacy_id,prescriber_id,rx_number\n"
                + "C2,P1,2025-02-01,99101012430,30,30,1.00,PH-B,DR-2,RX2\nC1,P1,2025-01-02,99101012430,30,30,1.00,PH-A,DR-1,RX1\n",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: data.appendingPathComponent(name)) }
        let result = try rxrules(["run", "--pack", pack.path, "--data", data.path, "--out", out.path])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = csvRows(try String(contentsOf: out.appendingPathComponent("first_fill.csv"), encoding: .utf8))
        #expect(rows.count == 2 && Array(rows[1].prefix(4)) == ["P1", "PH-A", "DR-1", "RX1"], "\(rows)")
    }

    @Test func commandLineMistakesExitTwo() throws {
        #expect(try rxrules(["run", "--data", "examples/data", "--out", "x"]).status == 2)
        let unknown = try rxrules(["run", "--pack", "rules/pqa-adherence", "--data", "examples/data", "--out", "x",
                                   "--param", "no_such=1"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no pack declares such a parameter"))
        #expect(try rxrules(["run", "--pack", "rules/pqa-adherence", "--data", "examples/data", "--out", "x",
                             "--max-rejects", "lots"]).status == 2)
    }
}
