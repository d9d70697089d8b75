import RxValues

/// The rows of a block of consecutive members, one buffer per file, plus what they hold.
struct SynthBlock: Sendable {
    var buffers: [[UInt8]] = Array(repeating: [], count: SynthFile.allCases.count)
    var summary = SynthSummary()
    /// Where the row being written starts, per file.
    var rowStart = [Int](repeating: 0, count: SynthFile.allCases.count)

    init(reservingPerMember members: Int) {
        // Measured bytes per member with some headroom, so buffers rarely grow while filling.
        let perMember = [32, 64, 1_800, 320, 160]
        for file in SynthFile.allCases {
            buffers[file.rawValue].reserveCapacity(members * perMember[file.rawValue])
        }
    }
}

extension MemberRun {
    /// Writes the planned member in file order; every row may be corrupted by the corruption stream.
    mutating func write(into block: inout SynthBlock) {
        var corruption = CorruptionStream(
            random: SynthRandom(seed: simulator.configuration.seed, member: member, stream: .corruption),
            perMillion: simulator.configuration.corruptionPerMillion)
        let dates = simulator.dates

        var row = RowScratch()
        // The member number appears three times in a pharmacy row: render its digits once.
        let number = String(member)
        let memberDigits = Array((String(repeating: "0", count: max(0, 8 - number.count)) + number).utf8)
        func memberID(_ output: inout RowScratch) {
            output.byte(UInt8(ascii: "M"))
            output.bytes(memberDigits)
        }

        // members.csv
        block.rowStarted(.members)
        block.writeRow(.members, &row) { row in
            memberID(&row)
            row.comma()
            dates.write(birth, to: &row)
            row.comma()
            row.ascii(sex)
            row.comma()
            if let death { dates.write(death, to: &row) }
            row.newline()
        }
        corruption.finishRow(.members, in: &block)

        // enrollment.csv
        for span in coverage {
            block.rowStarted(.enrollment)
            block.writeRow(.enrollment, &row) { row in
                memberID(&row)
                row.ascii(",PLAN-")
                row.byte(UInt8(ascii: "A") + UInt8(span.plan))
                row.comma()
                dates.write(span.period.start, to: &row)
                row.comma()
                dates.write(span.period.end, to: &row)
                row.newline()
            }
            corruption.finishRow(.enrollment, in: &block)
        }

        // pharmacy_claims.csv, in date order; a reversal and its rebill follow the paid row.
        fills.sort { ($0.day, $0.order) < ($1.day, $1.order) }
        var claimNumber = 0
        for fill in fills {
            let drug = DrugCatalog.all[fill.drug]
            let combination = drug.isCombination
            let packages = max(1, fill.daysSupply / drug.packageDays)
            let gross = packages * drug.packageCostCents * random.inRange(95...105) / 100 + random.inRange(100...250)
            let patientPay: Int
            switch drug.tier {
            case .generic: patientPay = [0, 500, 1_000][random.weighted([30, 50, 20])] * (fill.daysSupply >= 84 ? 2 : 1)
            case .brand: patientPay = [2_500, 4_000, 4_750][random.weighted([30, 40, 30])]
            case .specialty: patientPay = min(25_000, gross / 5)
            }
            let patient = min(patientPay, gross)
            var statuses: [(claim: Int, reversed: Bool)] = []
            claimNumber += 1
            statuses.append((claimNumber, false))
            if fill.reversed {
                statuses.append((claimNumber, true))
                if fill.rebilled {
                    claimNumber += 1
                    statuses.append((claimNumber, false))
                }
            }
            for status in statuses {
                if status.reversed { summary.add(.reversal) }
                if !status.reversed, combination { summary.add(.combinationProduct) }
                block.rowStarted(.pharmacyClaims)
                block.writeRow(.pharmacyClaims, &row) { row in
                    row.byte(UInt8(ascii: "R"))
                    row.bytes(memberDigits)
                    row.byte(UInt8(ascii: "-"))
                    row.number(status.claim, width: 4)
                    row.comma()
                    memberID(&row)
                    row.comma()
                    dates.write(fill.day, to: &row)
                    row.comma()
                    row.text(drug.ndc)
                    row.comma()
                    row.number(fill.daysSupply)
                    row.comma()
                    row.tenths(packages * drug.packageQuantityTenths)
                    row.comma()
                    row.money(cents: gross - patient)
                    row.comma()
                    row.money(cents: patient)
                    row.ascii(status.reversed ? ",reversed,RX" : ",paid,RX")
                    row.bytes(memberDigits)
                    row.number(fill.rxNumber, width: 2)
                    row.comma()
                    row.number(fill.fillNumber)
                    row.ascii(",PH")
                    row.number(fill.pharmacy, width: 5)
                    row.ascii(",9")
                    row.number(fill.prescriber, width: 9)
                    row.newline()
                }
                corruption.finishRow(.pharmacyClaims, in: &block)
            }
        }

        // medical_claims.csv, by first day of service.
        medical.sort { ($0.from, $0.order) < ($1.from, $1.order) }
        for (index, claim) in medical.enumerated() {
            block.rowStarted(.medicalClaims)
            block.writeRow(.medicalClaims, &row) { row in
                row.byte(UInt8(ascii: "H"))
                row.bytes(memberDigits)
                row.byte(UInt8(ascii: "-"))
                row.number(index + 1, width: 3)
                row.comma()
                memberID(&row)
                row.comma()
                dates.write(claim.from, to: &row)
                row.comma()
                dates.write(claim.thru, to: &row)
                row.comma()
                row.ascii(claim.setting.text)
                row.comma()
                row.text(claim.diagnoses)
                row.comma()
                row.text(claim.procedures)
                row.comma()
                row.money(cents: claim.paidCents)
                row.newline()
            }
            corruption.finishRow(.medicalClaims, in: &block)
        }

        // observations.csv, by date.
        observations.sort { ($0.day, $0.order) < ($1.day, $1.order) }
        for observation in observations {
            block.rowStarted(.observations)
            block.writeRow(.observations, &row) { row in
                memberID(&row)
                row.comma()
                dates.write(observation.day, to: &row)
                switch observation.value {
                case let .hba1cTenths(value):
                    row.ascii(",4548-4,")
                    row.number(value / 10)
                    row.byte(UInt8(ascii: "."))
                    row.number(value % 10)
                    row.ascii(",%")
                case let .ldlMilligrams(value):
                    row.ascii(",13457-7,")
                    row.number(value)
                    row.ascii(",mg/dL")
                case let .recist(category):
                    row.ascii(",RECIST,")
                    row.ascii(category.text)
                    row.comma()
                case .claimNotice:
                    row.ascii(",CLAIM-NOTICE,filed,")
                }
                row.newline()
            }
            corruption.finishRow(.observations, in: &block)
        }
        block.summary.merge(summary)
    }
}

extension SynthBlock {
    /// Marks where the next row of `file` starts, so that it can be corrupted once written.
    mutating func rowStarted(_ file: SynthFile) {
        rowStart[file.rawValue] = buffers[file.rawValue].count
        summary.addRow(file)
    }

    /// Builds one row in `scratch` and appends it to the file's buffer.
    mutating func writeRow(_ file: SynthFile, _ scratch: inout RowScratch, _ body: (inout RowScratch) -> Void) {
        body(&scratch)
        scratch.flush(into: &buffers[file.rawValue])
    }
}
