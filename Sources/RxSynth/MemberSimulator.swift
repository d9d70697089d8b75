import RxValues

/// Simulates one member's history from its own random stream: demographics, coverage, stays,
/// therapies with a fill behaviour each, labs, oncology cycles, then writes the rows.
struct MemberSimulator: Sendable {
    let configuration: SynthConfiguration
    /// 1 January of the year before the measurement year.
    let historyStart: Day
    /// 31 December of the measurement year.
    let historyEnd: Day
    /// 1 January of the measurement year.
    let yearStart: Day
    let dates: DateTable

    init(configuration: SynthConfiguration) {
        self.configuration = configuration
        let year = configuration.measurementYear
        historyStart = MemberSimulator.january1(year - 1)
        yearStart = MemberSimulator.january1(year)
        historyEnd = MemberSimulator.january1(year + 1) - 1
        dates = DateTable(from: MemberSimulator.january1(year - 110), through: MemberSimulator.january1(year + 2))
    }

    static func january1(_ year: Int) -> Day { Day(year: year, month: 1, day: 1) ?? Day(number: 0) }

    /// Appends member `member` (1-based) to the block.
    func simulate(member: Int, into block: inout SynthBlock) {
        var run = MemberRun(simulator: self, member: member)
        run.plan()
        run.write(into: &block)
    }
}

/// The planning state of one member.
struct MemberRun {
    let simulator: MemberSimulator
    let member: Int
    var random: SynthRandom
    var summary = SynthSummary()

    var birth = Day(number: 0)
    var sex: StaticString = "U"
    var death: Day?
    /// Last day anything may happen: death, disenrollment or the end of history.
    var lastDay = Day(number: 0)
    var coverage: [CoverageSpan] = []
    /// Days without pharmacy claims because the drugs came with the stay (inpatient, SNF).
    var stays: [Period] = []
    var hospiceStart: Day?
    var stopsFillsInHospice = false
    var hasCancer = false
    var fills: [PlannedFill] = []
    var medical: [PlannedMedicalClaim] = []
    var observations: [PlannedObservation] = []
    var homePharmacy = 0
    var rxCount = 0

    init(simulator: MemberSimulator, member: Int) {
        self.simulator = simulator
        self.member = member
        random = SynthRandom(seed: simulator.configuration.seed, member: member, stream: .behaviour)
    }

    var historyStart: Day { simulator.historyStart }
    var historyEnd: Day { simulator.historyEnd }

    // MARK: planning

    mutating func plan() {
        planPerson()
        planCoverage()
        planStays()
        planHospiceAndESRD()
        planTherapies()
    }

    private mutating func planPerson() {
        let age: Int
        switch random.weighted([30, 250, 330, 390]) {
        case 0: age = random.inRange(8...17)
        case 1: age = random.inRange(18...44)
        case 2: age = random.inRange(45...64)
        default: age = random.inRange(65...95)
        }
        birth = MemberSimulator.january1(simulator.configuration.measurementYear - age) - random.below(365)
        sex = [StaticString("F"), "M", "U"][random.weighted([49, 49, 2])]
        let hospice = random.chance(perMille: 15)
        hasCancer = age >= 18 && random.chance(perMille: 15)
        if random.chance(perMille: 20) || (hospice && random.chance(perMille: 700))
            || (hasCancer && random.chance(perMille: 250)) {
            death = historyStart + random.inRange(180...(historyEnd - historyStart))
            summary.add(.death)
        }
        if hospice {
            let start: Day
            if let death {
                start = max(historyStart + 30, death - random.inRange(7...120))
            } else {
                start = simulator.yearStart + random.below(300)
            }
            hospiceStart = start
            stopsFillsInHospice = random.chance(perMille: 700)
        }
        homePharmacy = random.inRange(1...99_999)
    }

    private mutating func planCoverage() {
        var start = random.chance(perMille: 900) ? historyStart : historyStart + random.below(540)
        if let death, start > death { start = historyStart + random.below(death - historyStart + 1) }
        var end = historyEnd
        if random.chance(perMille: 30) { end = min(historyEnd, start + random.inRange(200...600)) }
        if let death { end = min(end, death) }
        if end < start { end = start }
        lastDay = end
        let plan = random.below(5)
        let length = end - start
        if length > 240, random.chance(perMille: 80) {
            let gapStart = start + random.inRange(60...(length - 150))
            let gapEnd = gapStart + random.inRange(30...90)
            coverage = [CoverageSpan(plan: plan, period: Period(start, gapStart - 1)),
                        CoverageSpan(plan: plan, period: Period(gapEnd + 1, end))]
            summary.add(.enrollmentGap)
        } else if length > 150, random.chance(perMille: 60) {
            let switchDay = start + random.inRange(60...(length - 60))
            let next = (plan + 1 + random.below(4)) % 5
            // Some extracts show the new plan starting a few days before the old one ends.
            let overlap = random.chance(perMille: 200) ? random.inRange(1...15) : 0
            coverage = [CoverageSpan(plan: plan, period: Period(start, switchDay - 1)),
                        CoverageSpan(plan: next, period: Period(switchDay - overlap, end))]
            summary.add(.planSwitch)
        } else {
            coverage = [CoverageSpan(plan: plan, period: Period(start, end))]
        }
    }

    func isEnrolled(_ day: Day) -> Bool { coverage.contains { $0.period.contains(day) } }

    /// The first enrolled day on or after `day`, if any.
    func nextEnrolledDay(from day: Day) -> Day? {
        if isEnrolled(day) { return day }
        return coverage.filter { $0.period.start > day }.map(\.period.start).min()
    }

    private var firstCoveredDay: Day { coverage.first?.period.start ?? historyStart }

    /// Adds a medical claim when its first day is covered (claims outside coverage are never paid).
    @discardableResult
    private mutating func addMedical(_ from: Day, _ thru: Day, _ setting: CareSetting, _ diagnoses: String,
                                     _ procedures: String, _ paidCents: Int) -> Bool {
        guard isEnrolled(from) else { return false }
        medical.append(PlannedMedicalClaim(from: from, thru: thru, setting: setting, diagnoses: diagnoses,
                                           procedures: procedures, paidCents: paidCents, order: medical.count))
        return true
    }

    private mutating func planStays() {
        let span = lastDay - firstCoveredDay
        guard span > 30 else { return }
        var count = random.chance(perMille: 60) ? (random.chance(perMille: 250) ? 2 : 1) : 0
        let outcome = random.chance(perMille: 30)
        if outcome { count += 1 }
        for index in 0..<count {
            let from = firstCoveredDay + random.below(span - 12)
            let thru = min(lastDay, from + random.inRange(2...10))
            guard isEnrolled(from), !stays.contains(where: { $0.overlaps(Period(from, thru + 45)) })
            else { continue }
            var (diagnoses, procedures) = random.pick([
                ("J18.9|I10", ""), ("I50.9|E11.9", ""), ("N39.0", ""), ("S72.001A|W19.XXXA", "0SR9019"),
                ("A41.9|N17.9", "5A1955Z"), ("J44.1|I10", ""), ("K57.92", ""),
            ])
            if outcome, index == count - 1 {
                let event = random.pick(["I21.4", "I21.09", "I21.19", "I63.9", "I63.50", "I63.40"])
                if random.chance(perMille: 200) {
                    // Coded after another principal diagnosis: must not count as the outcome.
                    diagnoses = random.pick(["I50.9", "J18.9", "N17.9"]) + "|" + event + "|I10"
                    summary.add(.secondaryPositionOutcome)
                } else {
                    diagnoses = event + "|" + random.pick(["I10", "E78.5", "E11.9|I10", "I25.10"])
                    procedures = event.hasPrefix("I21") ? "02703ZZ" : ""
                    summary.add(.outcomeEvent)
                }
            }
            addMedical(from, thru, .inpatient, diagnoses, procedures,
                       random.inRange(800_000...4_000_000))
            stays.append(Period(from, thru))
            summary.add(.inpatientStay)
            if random.chance(perMille: 350), thru < lastDay {
                let snfFrom = thru + random.below(2)
                let snfThru = min(lastDay, snfFrom + random.inRange(7...40))
                let diagnosis = diagnoses.split(separator: "|").first.map(String.init) ?? "Z48.89"
                if addMedical(snfFrom, snfThru, .snf, diagnosis, "", (snfThru - snfFrom + 1) * random.inRange(20_000...60_000)) {
                    stays.append(Period(snfFrom, snfThru))
                    summary.add(.snfStay)
                }
            }
        }
    }

    private mutating func planHospiceAndESRD() {
        if let start = hospiceStart, start <= lastDay, isEnrolled(start) {
            summary.add(.hospice)
            let end = death ?? min(lastDay, start + random.inRange(30...180))
            let diagnosis = random.pick(["C34.90", "G30.9", "I50.9", "J44.9", "C25.9"])
            var from = start
            while from <= end {
                let thru = min(end, from + 29)
                addMedical(from, thru, .hospice, diagnosis, "Q5001", (thru - from + 1) * random.inRange(18_000...22_000))
                from = thru + 1
            }
        } else {
            hospiceStart = nil
        }
        let span = lastDay - firstCoveredDay
        if span > 90, random.chance(perMille: 10) {
            summary.add(.esrd)
            var from = firstCoveredDay + random.below(span - 60)
            while from <= lastDay {
                let thru = min(lastDay, from + 29)
                if isEnrolled(from) {
                    let diagnoses = random.pick(["N18.6|Z99.2", "Z99.2|N18.6|I12.0", "N18.6|E11.22"])
                    addMedical(from, thru, .outpatient, diagnoses, "90935|90999", random.inRange(250_000...400_000))
                }
                from = thru + 1
            }
        }
    }

    // MARK: therapies

    private let atorvastatin20 = "99101012330"
    private let atorvastatin40 = "99101012430"
    private let rosuvastatin = "99101022130"
    private let losartan = "99111020190"

    private func product(_ ndc: String) -> Drug { DrugCatalog.all[DrugCatalog.index(ndc)] }

    private mutating func planTherapies() {
        let adult = birth.age(at: simulator.yearStart) >= 18
        let scale = adult ? 1 : 10
        if random.chance(perMille: 450 / scale) {
            let drug = product(random.pick([atorvastatin20, atorvastatin20, atorvastatin20, atorvastatin40,
                                            atorvastatin40, rosuvastatin, rosuvastatin, "99101031130", "99101031130",
                                            "99101041230", "99102051130"]))
            // The switch within the class: atorvastatin to rosuvastatin (and back for rosuvastatin users).
            let alternative = product(drug.ingredient == "rosuvastatin" ? atorvastatin40 : rosuvastatin)
            planLine(drug: drug, alternative: alternative, diagnosis: "E78.5")
            if random.chance(perMille: 45) {
                planLine(drug: product("99151010102"), alternative: nil, diagnosis: "E78.01")
            }
            planLipids()
        }
        if random.chance(perMille: 400 / scale) {
            let drug = product(random.pick(["99111010190", "99111010190", "99111010290", losartan, losartan,
                                            "99111030190", "99111040190", "99112050190", "99112050190",
                                            "99112060190", "99113070190"]))
            // ACE inhibitor cough: the classic switch to an ARB.
            let alternative = product(drug.ingredient == "losartan" ? "99111030190" : losartan)
            planLine(drug: drug, alternative: alternative, diagnosis: "I10")
        }
        if random.chance(perMille: 30 / scale) {
            // Sacubitril/valsartan replaces an ACE inhibitor or ARB: the two are never taken together.
            if let start = planLine(drug: product("99121010160"), alternative: nil, diagnosis: "I50.22") {
                fills.removeAll { DrugCatalog.all[$0.drug].valueSet == .rasa && $0.day >= start }
            }
        }
        if random.chance(perMille: 250 / scale) {
            let first = product(random.pick(["99131010160", "99131010160", "99131010260"]))
            // Metformin users who switch move to the metformin/sitagliptin combination.
            let firstStart = planLine(drug: first, alternative: product("99132050160"), diagnosis: "E11.9")
            if random.chance(perMille: 350) {
                let second = random.pick(["99131020160", "99131030160", "99131040160", "99132050160", "99131060160"])
                planLine(drug: product(second), alternative: nil, diagnosis: "E11.65")
            }
            if random.chance(perMille: 120) {
                planLine(drug: product(random.pick(["99133070103", "99133080104"])), alternative: nil,
                         diagnosis: "E11.65")
            }
            if random.chance(perMille: 120) {
                planLine(drug: product("99141010115"), alternative: nil, diagnosis: "E11.65")
                if random.chance(perMille: 300) {
                    planLine(drug: product("99141020110"), alternative: nil, diagnosis: "E11.65")
                }
            }
            planHbA1c(from: firstStart ?? simulator.yearStart)
        } else if random.chance(perMille: 100) {
            let day = firstCoveredDay + random.below(max(1, lastDay - firstCoveredDay))
            addObservation(day, .hba1cTenths(random.inRange(50...62)))
        }
        if hasCancer { planOncology() }
        planVisits()
    }

    /// Plans one therapy line and returns its first fill day, if any.
    @discardableResult
    private mutating func planLine(drug initial: Drug, alternative: Drug?, diagnosis: String) -> Day? {
        let behaviour = FillBehaviour(rawValue: random.weighted(FillBehaviour.weights)) ?? .adherent
        let effective: FillBehaviour = behaviour == .switcher && alternative == nil ? .adherent : behaviour
        summary.add(effective.feature)
        let start = firstCoveredDay + random.below(max(1, min(540, lastDay - firstCoveredDay)))
        var drug = DrugCatalog.index(initial.ndc)
        var daysSupply = supply(for: DrugCatalog.all[drug])
        var day = start
        var fillNumber = 0
        var rxNumber = newRxNumber()
        let prescriber = random.inRange(100_000_000...999_999_999)
        let maxFills = effective == .discontinuer ? random.inRange(1...6) : Int.max
        let switchAfter = effective == .switcher ? random.inRange(2...7) : -1
        var count = 0
        var firstFill: Day?
        while day <= lastDay {
            if let stay = stays.first(where: { $0.contains(day) }) {
                day = stay.end + 1
                continue
            }
            guard let enrolled = nextEnrolledDay(from: day) else { break }
            if enrolled != day {
                day = enrolled + random.below(20)
                continue
            }
            if stopsFillsInHospice, let hospiceStart, day >= hospiceStart { break }
            addFill(day: day, drug: drug, daysSupply: daysSupply, rxNumber: rxNumber, fillNumber: fillNumber,
                    prescriber: prescriber)
            if firstFill == nil { firstFill = day }
            count += 1
            if count == switchAfter, let alternative {
                drug = DrugCatalog.index(alternative.ndc)
                daysSupply = supply(for: alternative)
                rxNumber = newRxNumber()
                fillNumber = 0
            } else {
                fillNumber += 1
                if fillNumber > 11 {
                    rxNumber = newRxNumber()
                    fillNumber = 0
                }
            }
            if count >= maxFills { break }
            switch effective {
            case .adherent, .switcher, .discontinuer:
                day = day + daysSupply + random.inRange(-3...4)
            case .gappy:
                day = day + daysSupply + (random.chance(perMille: 450) ? random.inRange(12...75) : random.inRange(0...6))
            case .earlyRefiller:
                day = day + daysSupply - random.inRange(5...12)
            case .stockpiler:
                if random.chance(perMille: 300) {
                    // A second fill within a week: supply piles up, the next fill comes late.
                    let extra = day + random.inRange(0...7)
                    if extra <= lastDay, isEnrolled(extra), !stays.contains(where: { $0.contains(extra) }) {
                        addFill(day: extra, drug: drug, daysSupply: daysSupply, rxNumber: rxNumber,
                                fillNumber: fillNumber, prescriber: prescriber)
                        fillNumber += 1
                        day = day + 2 * daysSupply + random.inRange(-5...15)
                        continue
                    }
                }
                day = day + daysSupply - random.inRange(0...8)
            }
        }
        if firstFill != nil { addVisits(diagnosis: diagnosis, from: start) }
        return firstFill
    }

    private mutating func supply(for drug: Drug) -> Int {
        if drug.packageDays > 1 {
            return drug.valueSet == .insulin && random.chance(perMille: 250) ? 3 * drug.packageDays : drug.packageDays
        }
        return [30, 90, 60][random.weighted([650, 300, 50])]
    }

    private mutating func newRxNumber() -> Int {
        rxCount += 1
        return rxCount
    }

    private mutating func addFill(day: Day, drug: Int, daysSupply: Int, rxNumber: Int, fillNumber: Int,
                                  prescriber: Int) {
        let reversed = random.chance(perMille: 20)
        let rebilled = reversed && random.chance(perMille: 700)
        let pharmacy = random.chance(perMille: 100) ? random.inRange(1...99_999) : homePharmacy
        fills.append(PlannedFill(day: day, drug: drug, daysSupply: daysSupply, rxNumber: rxNumber,
                                 fillNumber: fillNumber, prescriber: prescriber, pharmacy: pharmacy,
                                 reversed: reversed, rebilled: rebilled, order: fills.count))
    }

    // MARK: labs, oncology, visits

    private mutating func addObservation(_ day: Day, _ value: PlannedObservation.Value) {
        guard day <= lastDay, isEnrolled(day) else { return }
        observations.append(PlannedObservation(day: day, value: value, order: observations.count))
        summary.add(.labResult)
    }

    /// Whether the member's fills so far look adherent: few long gaps between consecutive fills.
    private func lookAdherent(since start: Day) -> Bool {
        let days = fills.filter { $0.day >= start }.map(\.day).sorted()
        guard days.count >= 3 else { return false }
        return zip(days, days.dropFirst()).allSatisfy { $1 - $0 <= 100 }
    }

    private mutating func planHbA1c(from start: Day) {
        var value = random.inRange(70...105)
        let improving = lookAdherent(since: start)
        var day = max(firstCoveredDay, start - random.below(30))
        while day <= lastDay {
            addObservation(day, .hba1cTenths(value))
            value += improving ? -random.inRange(1...4) : random.inRange(-2...3)
            value = min(140, max(improving ? 62 : 66, value))
            day = day + random.inRange(80...100)
        }
    }

    private mutating func planLipids() {
        let start = fills.first?.day ?? simulator.yearStart
        let baseline = random.inRange(130...220)
        let onPCSK9 = fills.contains { DrugCatalog.all[$0.drug].valueSet == .pcsk9 }
        let percent = onPCSK9 ? random.inRange(30...50)
            : lookAdherent(since: start) ? random.inRange(50...70) : random.inRange(80...100)
        addObservation(max(firstCoveredDay, start - random.inRange(5...60)), .ldlMilligrams(baseline))
        var day = start + random.inRange(60...120)
        while day <= lastDay {
            addObservation(day, .ldlMilligrams(baseline * percent / 100 + random.inRange(-8...8)))
            day = day + random.inRange(120...200)
        }
    }

    private mutating func planOncology() {
        let span = lastDay - firstCoveredDay
        guard span > 120 else { return }
        let drug = DrugCatalog.index(random.chance(perMille: 600) ? "99161010184" : "99161020108")
        let path: [RecistCategory]
        switch random.weighted([40, 30, 30]) {
        case 0: path = [.stable, .partial, .partial, .complete]
        case 1: path = [.stable]
        default: path = random.chance(perMille: 500) ? [.stable, .progressive] : [.partial, .stable, .progressive]
        }
        let cycles = random.inRange(4...14)
        var day = firstCoveredDay + random.below(span - 100)
        let prescriber = random.inRange(100_000_000...999_999_999)
        let rxNumber = newRxNumber()
        addMedical(day - random.inRange(7...20), day - random.inRange(0...6), .professional,
                   random.pick(["C18.9", "C34.90", "C50.911"]), "99205", random.inRange(20_000...35_000))
        var cycle = 0
        while cycle < cycles, day <= lastDay, isEnrolled(day) {
            if let stay = stays.first(where: { $0.contains(day) }) {
                day = stay.end + 1  // the cycle waits for discharge
                continue
            }
            addFill(day: day, drug: drug, daysSupply: 21, rxNumber: rxNumber, fillNumber: cycle, prescriber: prescriber)
            summary.add(.oncologyCycles)
            if cycle % 2 == 1 {
                let response = path[min(cycle / 2, path.count - 1)]
                let assessment = day + 21 - random.inRange(1...4)
                addObservation(assessment, .recist(response))
                if response == .progressive {
                    // Most insured patients file within weeks; a few only after years (time-barred).
                    let delay = random.chance(perMille: 950) ? random.inRange(3...60) : random.inRange(700...900)
                    addObservation(assessment + delay, .claimNotice)
                    break  // treatment stops at progression
                }
            }
            day = day + 21 + random.inRange(0...2)
            cycle += 1
        }
    }

    private mutating func addVisits(diagnosis: String, from start: Day) {
        for _ in 0..<random.inRange(1...3) {
            let day = start + random.inRange(-20...300)
            guard day >= firstCoveredDay, day <= lastDay, isEnrolled(day) else { continue }
            addMedical(day, day, .professional, diagnosis, random.pick(["99213", "99214", "99214|83036"]),
                       random.inRange(8_000...16_000))
        }
    }

    private mutating func planVisits() {
        if random.chance(perMille: 40) {
            let day = firstCoveredDay + random.below(max(1, lastDay - firstCoveredDay))
            if isEnrolled(day) {
                addMedical(day, day, .emergency, random.pick(["R07.9", "R10.9", "S93.401A"]), "99284",
                           random.inRange(40_000...90_000))
            }
        }
        if random.chance(perMille: 300) {
            let day = firstCoveredDay + random.below(max(1, lastDay - firstCoveredDay))
            if isEnrolled(day) {
                addMedical(day, day, .professional, "Z00.00", "99396", random.inRange(9_000...15_000))
            }
        }
    }
}
