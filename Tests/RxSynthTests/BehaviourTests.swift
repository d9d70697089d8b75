import RxValues
import Testing
@testable import RxSynth

/// A paid pharmacy claim, parsed.
private struct Fill {
    let member: String
    let day: Day
    let ndc: String
    let daysSupply: Int
    var ingredient: String { DrugCatalog.drug(ndc: ndc)?.ingredient ?? "" }
}

/// Paid fills that no reversal cancelled, per member, in file order.
private func paidFills(_ data: Generated) -> [String: [Fill]] {
    let rows = data.table(.pharmacyClaims).rows
    let reversed = Set(rows.filter { $0[8] == "reversed" }.map { $0[0] })
    var fills: [String: [Fill]] = [:]
    for row in rows where row[8] == "paid" && !reversed.contains(row[0]) {
        guard let day = Day(row[2]), let supply = Int(row[4]) else { continue }
        fills[row[1], default: []].append(Fill(member: row[1], day: day, ndc: row[3], daysSupply: supply))
    }
    return fills
}

private func medicalRows(_ data: Generated, setting: String) -> [[String]] {
    data.table(.medicalClaims).rows.filter { $0[4] == setting }
}

@Suite("Behaviour mix")
struct BehaviourTests {
    @Test("a reversed row directly follows the paid row with the same claim id")
    func reversals() throws {
        let rows = try cleanData.get().table(.pharmacyClaims).rows
        var reversals = 0
        for (index, row) in rows.enumerated() where row[8] == "reversed" {
            reversals += 1
            let previous = rows[index - 1]
            #expect(previous[8] == "paid")
            #expect(previous[0] == row[0])
            #expect(Array(previous[1...7]) == Array(row[1...7]))
        }
        #expect(reversals > 20)
    }

    @Test("a member who died has no fill, claim, coverage or result after the death date")
    func deaths() throws {
        let data = try cleanData.get()
        var deathDates: [String: Day] = [:]
        for row in data.table(.members).rows where !row[3].isEmpty { deathDates[row[0]] = Day(row[3]) }
        #expect(deathDates.count > 10)
        var checked = 0
        for row in data.table(.pharmacyClaims).rows {
            if let death = deathDates[row[1]], let day = Day(row[2]) {
                #expect(day <= death, "fill \(row[0]) after death")
                checked += 1
            }
        }
        #expect(checked > 0)
        for row in data.table(.medicalClaims).rows {
            if let death = deathDates[row[1]], let thru = Day(row[3]) { #expect(thru <= death) }
        }
        for row in data.table(.enrollment).rows {
            if let death = deathDates[row[0]], let end = Day(row[3]) { #expect(end <= death) }
        }
        for row in data.table(.observations).rows {
            if let death = deathDates[row[0]], let day = Day(row[1]) { #expect(day <= death) }
        }
    }

    @Test("fills happen only on enrolled days and never during an inpatient or SNF stay")
    func fillsWhileCovered() throws {
        let data = try cleanData.get()
        var coverage: [String: [Period]] = [:]
        for row in data.table(.enrollment).rows {
            if let start = Day(row[2]), let end = Day(row[3]) { coverage[row[0], default: []].append(Period(start, end)) }
        }
        var stays: [String: [Period]] = [:]
        for row in data.table(.medicalClaims).rows where row[4] == "inpatient" || row[4] == "snf" {
            if let from = Day(row[2]), let thru = Day(row[3]) { stays[row[1], default: []].append(Period(from, thru)) }
        }
        for (member, fills) in paidFills(data) {
            for fill in fills {
                #expect(coverage[member, default: []].contains { $0.contains(fill.day) }, "\(member) \(fill.day)")
                #expect(!stays[member, default: []].contains { $0.contains(fill.day) }, "\(member) \(fill.day)")
            }
        }
    }

    @Test("medical claims start on covered days and end on or after they start")
    func medicalWhileCovered() throws {
        let data = try cleanData.get()
        var coverage: [String: [Period]] = [:]
        for row in data.table(.enrollment).rows {
            if let start = Day(row[2]), let end = Day(row[3]) { coverage[row[0], default: []].append(Period(start, end)) }
        }
        for row in data.table(.medicalClaims).rows {
            let from = try #require(Day(row[2]))
            let thru = try #require(Day(row[3]))
            #expect(from <= thru)
            #expect(coverage[row[1], default: []].contains { $0.contains(from) }, "\(row[0])")
        }
    }

    @Test("some members switch from atorvastatin to rosuvastatin and do not go back")
    func switchers() throws {
        var switchers = 0
        for fills in paidFills(try cleanData.get()).values {
            guard let firstRosuvastatin = fills.firstIndex(where: { $0.ingredient == "rosuvastatin" }),
                  fills[..<firstRosuvastatin].contains(where: { $0.ingredient == "atorvastatin" })
            else { continue }
            if !fills[firstRosuvastatin...].contains(where: { $0.ingredient == "atorvastatin" }) { switchers += 1 }
        }
        #expect(switchers >= 5)
    }

    @Test("stockpilers, early refillers and gappy fillers all show in the fill intervals")
    func fillPatterns() throws {
        var stockpiled = 0, early = 0, gappy = 0, steady = 0
        for fills in paidFills(try cleanData.get()).values {
            let byDrug = Dictionary(grouping: fills, by: \.ndc)
            for sameDrug in byDrug.values {
                for (previous, next) in zip(sameDrug, sameDrug.dropFirst()) {
                    let interval = next.day - previous.day
                    if interval <= 7, previous.daysSupply >= 30 { stockpiled += 1 }
                    else if interval <= previous.daysSupply - 5 { early += 1 }
                    else if interval >= previous.daysSupply + 12 { gappy += 1 }
                    else if abs(interval - previous.daysSupply) <= 4 { steady += 1 }
                }
            }
        }
        #expect(stockpiled >= 10)
        #expect(early >= 10)
        #expect(gappy >= 10)
        #expect(steady > stockpiled + early + gappy)
    }

    @Test("stays, hospice and ESRD appear as medical claims")
    func careSettings() throws {
        let data = try cleanData.get()
        let inpatient = medicalRows(data, setting: "inpatient")
        #expect(inpatient.count >= 50)
        #expect(inpatient.allSatisfy { row in
            guard let from = Day(row[2]), let thru = Day(row[3]) else { return false }
            return thru - from >= 2
        })
        // Some SNF stays start on the day of discharge or the day after.
        let discharges = Set(inpatient.map { $0[1] + $0[3] })
        let snfAfterStay = medicalRows(data, setting: "snf").filter { row in
            guard let from = Day(row[2]) else { return false }
            return discharges.contains(row[1] + from.description) || discharges.contains(row[1] + (from - 1).description)
        }
        #expect(snfAfterStay.count >= 5)
        let hospice = medicalRows(data, setting: "hospice")
        #expect(!hospice.isEmpty)
        #expect(hospice.allSatisfy { $0[6] == "Q5001" })
        let esrd = data.table(.medicalClaims).rows.filter { $0[5].contains("N18.6") && $0[5].contains("Z99.2") }
        #expect(!esrd.isEmpty)
        #expect(medicalRows(data, setting: "er").count > 0)
        #expect(medicalRows(data, setting: "professional").count > 0)
    }

    @Test("MI and stroke admissions carry the event as principal dx, a few only in a secondary position")
    func outcomeEvents() throws {
        let inpatient = medicalRows(try cleanData.get(), setting: "inpatient")
        let principal = inpatient.filter { $0[5].hasPrefix("I21") || $0[5].hasPrefix("I63") }
        let secondary = inpatient.filter { row in
            let codes = row[5].split(separator: "|")
            return !(codes.first?.hasPrefix("I21") ?? false) && !(codes.first?.hasPrefix("I63") ?? false)
                && codes.dropFirst().contains { $0.hasPrefix("I21") || $0.hasPrefix("I63") }
        }
        #expect(principal.contains { $0[5].hasPrefix("I21") })
        #expect(principal.contains { $0[5].hasPrefix("I63") })
        #expect(!secondary.isEmpty)
        #expect(principal.count > secondary.count)
    }

    @Test("enrollment has gaps and plan switches")
    func enrollment() throws {
        let spans = Dictionary(grouping: try cleanData.get().table(.enrollment).rows, by: { $0[0] })
        let gaps = spans.values.filter { rows in
            rows.count == 2 && rows[0][1] == rows[1][1]
                && (Day(rows[1][2]).map { start in Day(rows[0][3]).map { start - $0 > 1 } ?? false } ?? false)
        }
        let switches = spans.values.filter { $0.count == 2 && $0[0][1] != $0[1][1] }
        #expect(gaps.count >= 10)
        #expect(switches.count >= 10)
    }

    @Test("HbA1c and LDL-C results use their LOINC codes and units")
    func labs() throws {
        let rows = try cleanData.get().table(.observations).rows
        let hba1c = rows.filter { $0[2] == "4548-4" }
        let ldl = rows.filter { $0[2] == "13457-7" }
        #expect(hba1c.count > 100)
        #expect(ldl.count > 100)
        #expect(hba1c.allSatisfy { row in
            guard let value = ExactDecimal(row[3]) else { return false }
            return row[4] == "%" && value.scale == 1 && value >= ExactDecimal(5) && value <= ExactDecimal(14)
        })
        #expect(ldl.allSatisfy { row in
            guard let value = Int(row[3]) else { return false }
            return row[4] == "mg/dL" && (20...240).contains(value)
        })
        // Members with several HbA1c results see them change over time.
        let series = Dictionary(grouping: hba1c, by: { $0[0] }).values.filter { $0.count >= 3 }
        #expect(series.contains { Set($0.map { $0[3] }).count > 1 })
    }

    @Test("oncology cycles come every 21 to 23 days, RECIST results follow, nothing after progression")
    func oncology() throws {
        let data = try cleanData.get()
        let oncology = Set(DrugCatalog.drugs(in: .oncology).map(\.ndc))
        var cycles: [String: [Day]] = [:]
        for fills in paidFills(data).values {
            for fill in fills where oncology.contains(fill.ndc) { cycles[fill.member, default: []].append(fill.day) }
        }
        #expect(cycles.count >= 10)
        var stayDelayed = 0
        for days in cycles.values {
            for (previous, next) in zip(days, days.dropFirst()) where !(21...23).contains(next - previous) {
                stayDelayed += 1  // only a hospital stay may push a cycle back
                #expect(next - previous > 23)
            }
        }
        #expect(stayDelayed <= cycles.count / 5)
        let recist = data.table(.observations).rows.filter { $0[2] == "RECIST" }
        #expect(!recist.isEmpty)
        #expect(recist.allSatisfy { ["CR", "PR", "SD", "PD"].contains($0[3]) && $0[4].isEmpty })
        for row in recist where row[3] == "PD" {
            guard let progression = Day(row[1]) else { continue }
            #expect(cycles[row[0], default: []].allSatisfy { $0 < progression })
        }
        #expect(recist.contains { $0[3] == "PD" })
        #expect(recist.contains { $0[3] == "PR" || $0[3] == "CR" })
    }

    @Test("sacubitril/valsartan replaces the member's ACE inhibitor or ARB")
    func sacubitrilValsartanReplacesRASA() throws {
        var replaced = 0
        for fills in paidFills(try cleanData.get()).values {
            guard let start = fills.first(where: { $0.ingredient == "sacubitril/valsartan" })?.day else { continue }
            let rasa = fills.filter { DrugCatalog.drug(ndc: $0.ndc)?.valueSet == .rasa }
            #expect(rasa.allSatisfy { $0.day < start })
            if !rasa.isEmpty { replaced += 1 }
        }
        #expect(replaced >= 3)
    }

    @Test("the summary's reversal and combination counts match the rows")
    func summaryMatchesRows() throws {
        let data = try cleanData.get()
        let rows = data.table(.pharmacyClaims).rows
        #expect(data.summary.count(.reversal) == rows.filter { $0[8] == "reversed" }.count)
        let combinations = rows.filter { $0[8] == "paid" && (DrugCatalog.drug(ndc: $0[3])?.ingredient.contains("/") ?? false) }
        #expect(data.summary.count(.combinationProduct) == combinations.count)
    }

    @Test("the summary reports the planted mix")
    func summaryMix() throws {
        let summary = try cleanData.get().summary
        for feature in SynthFeature.allCases {
            #expect(summary.count(feature) > 0, "\(feature)")
        }
        #expect(summary.count(.goodAdherer) > summary.count(.gappyFiller))
    }
}
