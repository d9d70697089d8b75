import Foundation
import RxValues
import Testing

/// Property tests of contract payouts over synthetic members (issue 6): totals reconcile to the cent,
/// no payout exceeds its cap, and nobody without an event is paid.
@Suite struct ContractPortfolioTests {
    struct Contract {
        var pack: String
        var output: String
        var event: String
        var cap: ExactDecimal
    }

    static let contracts = [
        Contract(pack: "statin-cv-refund", output: "cv_refund", event: "cv", cap: ExactDecimal("6000.00")!),
        Contract(pack: "glp1-hba1c-guarantee", output: "hba1c_guarantee", event: "no_response", cap: ExactDecimal("6000.00")!),
        Contract(pack: "oncology-response-refund", output: "response_refund", event: "progressed", cap: ExactDecimal("20000.00")!),
    ]

    @Test func payoutsReconcileRespectCapsAndNeedAnEvent() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = scratch.appendingPathComponent("data"), out = scratch.appendingPathComponent("out")
        let synth = try rxrules(["synth", "--members", "3000", "--seed", "11", "--out", data.path])
        #expect(synth.status == 0, "\(synth.standardError)")
        var arguments = ["run", "--data", data.path, "--out", out.path]
        for contract in Self.contracts { arguments += ["--pack", "rules/\(contract.pack)"] }
        let run = try rxrules(arguments)
        #expect(run.status == 0, "\(run.standardError)")
        let summaryData = try Data(contentsOf: out.appendingPathComponent("summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
        let outputs = try #require(summary["outputs"] as? [[String: Any]])
        // Claim id -> member id over both claim files: every claim a row names must be its member's.
        var owner: [String: String] = [:]
        for file in ["pharmacy_claims.csv", "medical_claims.csv"] {
            for row in csvRows(try String(contentsOf: data.appendingPathComponent(file), encoding: .utf8)).dropFirst() {
                owner[row[0]] = row[1]
            }
        }
        var paidSomewhere = 0
        for contract in Self.contracts {
            let rows = csvRows(try String(contentsOf: out.appendingPathComponent(contract.output + ".csv"), encoding: .utf8))
            let header = rows[0]
            let payoutColumn = try #require(header.firstIndex(of: "payout"))
            let eventColumn = try #require(header.firstIndex(of: contract.event + "_date"))
            var total = ExactDecimal(units: 0, scale: 2)
            var paid = 0
            for row in rows.dropFirst() {
                let payout = try #require(ExactDecimal(row[payoutColumn]), "\(row)")
                #expect(payout.scale == 2, "money is written to the cent: \(row[payoutColumn])")
                #expect(payout >= .zero && payout <= contract.cap, "\(contract.output) \(row[0]) paid \(payout)")
                if payout > .zero {
                    paid += 1
                    #expect(!row[eventColumn].isEmpty, "\(contract.output) \(row[0]) paid without an event")
                    #expect(!row[payoutColumn + 1].isEmpty, "\(contract.output) \(row[0]) paid from no claims")
                }
                // Every value's claims (columns ending in _claim_ids) belong to the row's member.
                for (column, name) in header.enumerated() where name.hasSuffix("_claim_ids") && !row[column].isEmpty {
                    for claim in row[column].split(separator: "|") {
                        #expect(owner[String(claim)] == row[0], "\(contract.output) \(row[0]) \(name) names \(claim)")
                    }
                }
                total = try #require(total.adding(payout))
            }
            let portfolio = try #require(outputs.first { $0["name"] as? String == contract.output }?["portfolio"] as? [String: Any])
            #expect(portfolio["total_payout"] as? String == total.description, "\(contract.output)")
            #expect(portfolio["paid"] as? Int == paid)
            #expect(portfolio["members"] as? Int == rows.count - 1)
            // The plan breakdown partitions the members and the money exactly.
            let byPlan = try #require(portfolio["by_plan"] as? [String: [String: Any]])
            #expect(byPlan.count > 1, "synthetic members are spread over several plans")
            var planTotal = ExactDecimal(units: 0, scale: 2)
            var planMembers = 0, planPaid = 0
            for (plan, counts) in byPlan {
                let amount = try #require(ExactDecimal(counts["total_payout"] as? String ?? ""), "\(plan)")
                planTotal = try #require(planTotal.adding(amount))
                planMembers += counts["members"] as? Int ?? -1
                planPaid += counts["paid"] as? Int ?? -1
            }
            #expect(planTotal == total && planMembers == rows.count - 1 && planPaid == paid, "\(contract.output)")
            paidSomewhere += paid
        }
        #expect(paidSomewhere > 0, "the synthetic data should pay at least one claim")
    }
}
