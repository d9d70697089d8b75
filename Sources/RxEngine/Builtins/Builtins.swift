import RxAdherence
import RxLanguage
import RxRecords
import RxValues

/// The library functions of the catalogue, lowered to closures over RxAdherence.
enum Builtins {
    /// `set.column(code)`: the column's value for the code, missing when the code is not listed.
    /// `sets` are the value sets that have the column, with its position among their bound columns.
    static func column(_ column: String, of code: Value, in sets: [(set: Int, column: Int)], context: inout MemberContext) -> Value {
        for (index, position) in sets {
            let set = context.bindings.valueSets[index]
            switch code {
            case .code(let id):
                if let value = set.columns[position].value(of: id) { return value }
            case .codeText(let text), .string(let text):
                if let found = set.source.columns[column]?[set.source.normalize(text)]?.first { return .string(found) }
            default: return .missing
            }
        }
        return .missing
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    static func compile(
        _ name: String, signature: Int, arguments: [String: Code], argumentExprs: [String: Expr], elementPeriod: Eval?,
        resultType: RuleType, lowering: Lowering, range: SourceRange
    ) throws(EngineError) -> Eval {
        func argument(_ label: String) throws(EngineError) -> Eval {
            guard let eval = arguments[label] else { throw EngineError("\(name) needs the argument \(label)", at: range) }
            return eval.run
        }
        func optional(_ label: String, _ fallback: Value) -> Eval { arguments[label].or(fallback) }
        let type = resultType.unwrapped
        switch name {
        case "first", "last", "count", "count_distinct", "any", "all", "sum":
            let list = try argument(arguments["list"] != nil ? "list" : "conditions")
            // One closure per function, chosen here: no name comparison per member.
            switch name {
            case "first": return { context in list(&context).listValue.map { $0.first ?? .missing } ?? .missing }
            case "last": return { context in list(&context).listValue.map { $0.last ?? .missing } ?? .missing }
            case "count": return { context in list(&context).listValue.map { .int($0.count) } ?? .missing }
            case "count_distinct": return { context in list(&context).listValue.map { .int(distinctCount($0)) } ?? .missing }
            case "any": return { context in list(&context).listValue.map { .bool(!$0.isEmpty) } ?? .missing }
            case "all": return { context in list(&context).listValue.map { items in .bool(items.allSatisfy { $0 == .bool(true) }) } ?? .missing }
            default: return { context in list(&context).listValue.map { sum($0, as: type) } ?? .missing }
            }
        case "min", "max":
            let wantMax = name == "max"
            if signature == 0 {
                let a = try argument("a"), b = try argument("b")
                return { context in
                    let x = a(&context), y = b(&context)
                    guard let order = Compare.order(x, y, codes: context.records.codes) else { return .missing }
                    return (order > 0) == wantMax ? x : y
                }
            }
            let list = try argument("list")
            return { context in
                guard case .list(let items) = list(&context), var best = items.first else { return .missing }
                for item in items.dropFirst() {
                    guard let order = Compare.order(item, best, codes: context.records.codes) else { return .missing }
                    if (order > 0) == wantMax && order != 0 { best = item }
                }
                return best
            }
        case "nth":
            let list = try argument("list"), position = try argument("position")
            return { context in
                guard case .list(let items) = list(&context), case .int(let n) = position(&context),
                      n >= 1, n <= items.count else { return .missing }
                return items[n - 1]
            }
        case "distinct":
            let list = try argument("list")
            return { context in
                guard case .list(let items) = list(&context) else { return .missing }
                var seen = Set<Value>()
                return .list(items.filter { seen.insert($0).inserted })
            }
        case "running_sum":
            let list = try argument("list")
            let element: RuleType = if case .list(let inner) = type { inner } else { type }
            return { context in
                guard case .list(let items) = list(&context) else { return .missing }
                var totals: [Value] = []
                totals.reserveCapacity(items.count)
                if element == .money {
                    var total = ExactDecimal(units: 0, scale: 2)
                    for item in items {
                        guard case .money(let amount) = item, let next = total.adding(amount) else { return .missing }
                        total = next
                        totals.append(.money(total))
                    }
                    return .list(totals)
                }
                var total = Rational(integer: 0)
                for item in items {
                    guard let value = item.rational, let next = total + value else { return .missing }
                    total = next
                    totals.append(Arithmetic.shaped(total, as: element))
                }
                return .list(totals)
            }
        case "abs":
            let x = try argument("x")
            return { context in
                let value = x(&context)
                if let order = Compare.order(value, .int(0), codes: context.records.codes), order < 0 {
                    return Arithmetic.negate(value, as: type)
                }
                if case .money(let amount) = value, amount.isNegative { return Arithmetic.negate(value, as: type) }
                return value
            }
        case "days":
            let period = try argument("period")
            return { context in period(&context).periodValue.map { .days($0.dayCount) } ?? .missing }
        case "age":
            let at = try argument("at")
            return { context in
                guard let birth = context.member?.birthDate, case .date(let day) = at(&context) else { return .missing }
                return .int(birth.age(at: day))
            }
        case "enrolled":
            let period = try argument("continuously")
            let gap = optional("allowed_gap", .days(0))
            return { context in
                guard let window = period(&context).periodValue, case .days(let allowed) = gap(&context) else { return .missing }
                return .bool(enrolled(context.ranges.enrollments.map { context.records.enrollments[$0].period }, window: window, allowedGap: allowed))
            }
        case "overlaps":
            if let elementPeriod {
                let other = try argument("period")
                return { context in
                    guard let a = elementPeriod(&context).periodValue, let b = other(&context).periodValue else { return .missing }
                    return .bool(a.overlaps(b))
                }
            }
            let a = try argument("a"), b = try argument("b")
            return { context in
                guard let x = a(&context).periodValue, let y = b(&context).periodValue else { return .missing }
                return .bool(x.overlaps(y))
            }
        case "supply":
            let options = try supplyOptions(arguments, argumentExprs: argumentExprs, lowering: lowering, range: range)
            let fills = try argument("fills")
            return { context in
                guard case .list(let items) = fills(&context) else { return .missing }
                guard let built = options(&context) else { return .missing }
                return .timeline(timeline(items, options: built, context: &context))
            }
        case "covered_days", "stay_days", "last_day", "gaps", "first_gap", "episodes", "persistence_days":
            let timelineArgument = try argument("timeline")
            let within = arguments["within"]?.run
            let days = arguments["longer_than"]?.run ?? arguments["max_gap"]?.run
            // Resolved here, not per member (a string switch per call showed in profiles).
            let query: TimelineQuery = switch name {
            case "covered_days": .coveredDays
            case "stay_days": .stayDays
            case "last_day": .lastDay
            case "gaps": .gaps
            case "first_gap": .firstGap
            case "episodes": .episodes
            default: .persistenceDays
            }
            return { context in
                guard case .timeline(let timeline) = timelineArgument(&context) else { return .missing }
                var window: Period?
                if let within {
                    guard let period = within(&context).periodValue else { return .missing }
                    window = period
                }
                var count = 0
                if let days {
                    guard case .days(let value) = days(&context) else { return .missing }
                    count = value
                }
                switch query {
                case .coveredDays: return window.map { .days(timeline.coveredDays(within: $0)) } ?? .missing
                case .stayDays: return window.map { .days(timeline.stayDays(within: $0)) } ?? .missing
                case .lastDay: return timeline.lastDay.map(Value.date) ?? .missing
                case .gaps:
                    return window.map { .list(timeline.gaps(within: $0, longerThan: count).map(Value.period)) } ?? .missing
                case .firstGap: return timeline.firstGap(longerThan: count).map(Value.period) ?? .missing
                case .episodes: return .list(timeline.episodes(maxGap: count).map(Value.episode))
                case .persistenceDays:
                    guard let first = timeline.episodes(maxGap: count).first else { return .days(0) }
                    return .days(first.days)
                }
            }
        case "pdc":
            let within = try argument("within")
            if signature == 0 {
                let timelineArgument = try argument("timeline")
                return { context in
                    guard case .timeline(let timeline) = timelineArgument(&context), let window = within(&context).periodValue
                    else { return .missing }
                    let denominator = window.dayCount - timeline.stayDays(within: window)
                    return Rational(timeline.coveredDays(within: window), denominator).map(Value.decimal) ?? .missing
                }
            }
            let options = try supplyOptions(arguments, argumentExprs: argumentExprs, lowering: lowering, range: range)
            let fills = try argument("fills")
            return { context in
                guard case .list(let items) = fills(&context), let window = within(&context).periodValue,
                      let built = options(&context) else { return .missing }
                let events = supplyEvents(items, drug: built.drug, context: &context)
                let result = RxAdherence.pdc(events, period: window, options: built.options)
                return result.ratio.flatMap { Rational($0.numerator, $0.denominator) }.map(Value.decimal) ?? .missing
            }
        case "mpr":
            let fills = try argument("fills"), within = try argument("within")
            let variant = optional("variant", .enumMember("period"))
            let capped = optional("capped", .bool(false))
            return { context in
                guard case .list(let items) = fills(&context), let window = within(&context).periodValue,
                      case .enumMember(let variantName) = variant(&context), case .bool(let cap) = capped(&context),
                      let chosen = MPRVariant(rawValue: "mpr_" + variantName) else { return .missing }
                let events = supplyEvents(items, drug: .ndc, context: &context)
                let result = RxAdherence.mpr(events, period: window, variant: chosen, capped: cap)
                return result.ratio.flatMap { Rational($0.numerator, $0.denominator) }.map(Value.decimal) ?? .missing
            }
        case "dot":
            let within = try argument("within")
            let kind = optional("kind", .enumMember("covered"))
            let maxGap = optional("max_gap", .days(30))
            let options = try supplyOptions(arguments, argumentExprs: argumentExprs, lowering: lowering, range: range)
            let fills = try argument("fills")
            return { context in
                guard case .list(let items) = fills(&context), let window = within(&context).periodValue,
                      case .enumMember(let kindName) = kind(&context), case .days(let gap) = maxGap(&context),
                      let built = options(&context) else { return .missing }
                let events = supplyEvents(items, drug: built.drug, context: &context)
                let days = daysOnTherapy(events, period: window, options: built.options, permissibleGap: .days(gap))
                switch kindName {
                case "dispensed": return .days(days.dispensed)
                case "covered": return .days(days.covered)
                case "duration": return .days(days.duration)
                default: return .missing
                }
            }
        case "cma", "cma_per_episode", "cma_sliding_windows", "cma_episodes":
            return try adherer(name, arguments: arguments, argumentExprs: argumentExprs, lowering: lowering, range: range)
        case "round":
            let x = try argument("x")
            let digits = optional("digits", .int(0))
            let rule = optional("rule", .enumMember("half_even"))
            return { context in
                guard case .int(let places) = digits(&context), case .enumMember(let ruleName) = rule(&context),
                      let rounding = roundingRule(ruleName) else { return .missing }
                switch x(&context) {
                case .decimal(let value): return value.rounded(digits: places, rule: rounding).map { .decimal(Rational($0)) } ?? .missing
                case .money(let value): return value.rounded(scale: UInt8(clamping: places), rounding: rounding).map(Value.money) ?? .missing
                case .int(let value): return .int(value)
                case .days(let value): return .days(value)
                default: return .missing
                }
            }
        case "ceil", "floor":
            let x = try argument("x")
            let up = name == "ceil"
            return { context in
                guard let value = x(&context).rational else { return .missing }
                return .int(up ? value.ceiling : value.floor)
            }
        default:
            throw EngineError("the function \(name) is not supported by the evaluator yet", at: range)
        }
    }

    static func roundingRule(_ name: String) -> RoundingRule? {
        RoundingRule(rawValue: name)
    }

    /// Distinct values of a list. Dates (`count_distinct(fills.fill_date)`, the common case) are
    /// counted by sorting their day numbers, without hashing `Value`s.
    static func distinctCount(_ items: [Value]) -> Int {
        guard items.count > 1 else { return items.count }
        // Dates in order (a member's fills are): count the changes, nothing to allocate.
        if case .date(var previous) = items[0] {
            var count = 1
            for item in items.dropFirst() {
                guard case .date(let day) = item, day >= previous else { return distinctCountSorting(items) }
                if day != previous { count += 1 }
                previous = day
            }
            return count
        }
        return distinctCountSorting(items)
    }

    /// `distinctCount(items.map(getter))`, reading each field once and keeping no list when the
    /// values are dates in order.
    static func distinctCount(_ items: [Value], _ getter: FieldGetter, _ context: inout MemberContext) -> Int {
        if items.count == 1 { _ = getter(items[0], &context) }  // read, as the projection would (evidence)
        guard items.count > 1 else { return items.count }
        var count = 1
        var previous: Day?
        for position in items.indices {
            let value = getter(items[position], &context)
            guard case .date(let day) = value, previous.map({ day >= $0 }) ?? true else {
                // Out of order or not a date: the general count over the whole projection.
                var values = items[..<position].map { getter($0, &context) }
                values.append(value)
                for rest in items[(position + 1)...] { values.append(getter(rest, &context)) }
                return distinctCountSorting(values)
            }
            if let previous, day != previous { count += 1 }
            previous = day
        }
        return count
    }

    private static func distinctCountSorting(_ items: [Value]) -> Int {
        var days: [Day] = []
        days.reserveCapacity(items.count)
        for item in items {
            guard case .date(let day) = item else { return Set(items).count }
            days.append(day)
        }
        days.sort()
        var count = 1
        for index in days.indices.dropFirst() where days[index] != days[index - 1] { count += 1 }
        return count
    }

    static func sum(_ items: [Value], as type: RuleType) -> Value {
        if type == .money {
            var total = ExactDecimal(units: 0, scale: 2)
            for item in items {
                guard case .money(let amount) = item, let next = total.adding(amount) else { return .missing }
                total = next
            }
            return .money(total)
        }
        var total = Rational(integer: 0)
        for item in items {
            guard let value = item.rational, let sum = total + value else { return .missing }
            total = sum
        }
        return Arithmetic.shaped(total, as: type)
    }

    /// Coverage spans merged across gaps of at most `allowedGap` days cover the whole window.
    static func enrolled(_ periods: [Period], window: Period, allowedGap: Int) -> Bool {
        var covered = window.start
        for period in periods.sorted(by: { $0.start < $1.start }) {
            if period.end < covered { continue }
            if period.start - covered > allowedGap { return false }
            if period.end >= window.end { return true }
            covered = period.end + 1
        }
        return false
    }

    /// The timeline functions that share one argument shape.
    enum TimelineQuery { case coveredDays, stayDays, lastDay, gaps, firstGap, episodes, persistenceDays }

    /// What "same drug" means for supply placement, resolved while lowering.
    enum DrugKey: Sendable {
        case ndc
        /// A column of the value set with this index in the plan, by its position among the set's
        /// columns in name order (`BoundColumn.position`).
        case column(set: Int, position: Int)
    }

    struct BuiltOptions {
        var options: SupplyOptions
        var drug: DrugKey
    }

    /// `drug: ndc`, `drug: statins.ingredient` or `drug: ingredient` (the first value set, by name,
    /// that declares the column).
    static func drugKey(_ expr: Expr?, lowering: Lowering, range: SourceRange) throws(EngineError) -> DrugKey {
        guard let expr else { return .ndc }
        var setName: String?, column: String
        switch lowering.pack.resolutions[expr.range] {
        case .column(let owner, let name)?: setName = owner; column = name
        case .enumMember(_, let name)?: column = name
        default: throw EngineError("drug: needs ndc or a value-set column", at: expr.range)
        }
        if column == "ndc", setName == nil { return .ndc }
        let owner = setName ?? lowering.pack.valueSets.keys.sorted().first { lowering.pack.valueSets[$0]?.columns[column] != nil }
        guard let owner, let index = lowering.valueSetIndex[owner], let set = lowering.pack.valueSets[owner],
              let position = BoundColumn.position(of: column, in: set) else {
            throw EngineError("no value set declares the column \(column)", at: expr.range)
        }
        return .column(set: index, position: position)
    }

    static func supplyOptions(
        _ arguments: [String: Code], argumentExprs: [String: Expr], lowering: Lowering, range: SourceRange
    ) throws(EngineError) -> @Sendable (inout MemberContext) -> BuiltOptions? {
        let overlap: Eval = arguments["overlap"].or(.enumMember("shift_same_drug"))
        let drugKey = try drugKey(argumentExprs["drug"], lowering: lowering, range: range)
        let carry: Eval = arguments["carry_in"].or(.bool(false))
        let stays: Eval = arguments["stays"].or(.list([]))
        let dose: Eval = arguments["dose"].or(.enumMember("none"))
        // An option left out or written as a member name is read here once, not per member.
        func constant(_ label: String, _ fallback: String) -> String? {
            guard let expr = argumentExprs[label] else { return fallback }
            if case .enumMember(_, let member)? = lowering.pack.resolutions[expr.range] { return member }
            return nil
        }
        let fixedRule = constant("overlap", "shift_same_drug").flatMap(OverlapRule.init(rawValue:))
        let fixedDose = constant("dose", "none").flatMap(DoseHandling.init(rawValue:))
        return { context in
            // In the order written in the signature, as before the constants were read once.
            guard let rule = option(fixedRule, overlap, &context),
                  case .bool(let carryIn) = carry(&context), case .list(let stayItems) = stays(&context),
                  let doseRule = option(fixedDose, dose, &context)
            else { return nil }
            var periods: [Stay] = []
            for item in stayItems {
                guard case .medical(let index) = item else { continue }
                periods.append(Stay(period: context.records.medicalClaims[Int(index)].period))
            }
            return BuiltOptions(options: SupplyOptions(overlap: rule, carryIn: carryIn, dose: doseRule, stays: periods), drug: drugKey)
        }
    }

    /// A supply option fixed at lowering, else read for the member (nil when it is not one of its names).
    private static func option<Option: RawRepresentable>(_ fixed: Option?, _ read: Eval, _ context: inout MemberContext)
        -> Option? where Option.RawValue == String {
        if let fixed { return fixed }
        guard case .enumMember(let name) = read(&context) else { return nil }
        return Option(rawValue: name)
    }

    static func supplyEvents(_ items: [Value], drug: DrugKey, context: inout MemberContext) -> [SupplyEvent] {
        var events: [SupplyEvent] = []
        events.reserveCapacity(items.count)
        appendSupplyEvents(items, drug: drug, context: &context, to: &events)
        return events
    }

    static func appendSupplyEvents(_ items: [Value], drug: DrugKey, context: inout MemberContext,
                                   to events: inout [SupplyEvent]) {
        var keys: DrugKeyMap?
        var combinations: CombinationKeyMap?
        if case .column(let set, let position) = drug {
            let bound = context.bindings.valueSets[set]
            keys = bound.drugKeys[position]
            combinations = bound.combinationKeys[position]
        }
        // By index: a loop over the values would copy and destroy each one.
        for position in items.indices {
            guard case .fill(let index) = items[position] else { continue }
            let claim = context.records.fills[Int(index)]
            context.note(RecordRef(kind: .fill, index: index))
            // Codes outside the column map stand for themselves, apart from every mapped key.
            let key = keys.map { $0.key(of: claim.ndc) ?? (-1 - claim.ndc) } ?? claim.ndc
            events.append(SupplyEvent(start: claim.fillDate, daysSupply: Int(claim.daysSupply), drugKey: key,
                                      dose: nil, claimIndex: index))
            // A combination product gives coverage to each of its drug keys.
            if let combinations, !combinations.isEmpty, let others = combinations.keys(of: claim.ndc) {
                for other in others {
                    events.append(SupplyEvent(start: claim.fillDate, daysSupply: Int(claim.daysSupply), drugKey: other,
                                              dose: nil, claimIndex: index, isCombinationCopy: true))
                }
            }
        }
    }

    /// Places the supply over a window wide enough for every shift and every stay.
    static func timeline(_ items: [Value], options built: BuiltOptions, context: inout MemberContext) -> Timeline {
        // The context's event buffer, taken for the call and given back (no allocation per timeline).
        var events: [SupplyEvent] = []
        swap(&events, &context.supplyEventScratch)
        defer { swap(&events, &context.supplyEventScratch) }
        events.removeAll(keepingCapacity: true)
        appendSupplyEvents(items, drug: built.drug, context: &context, to: &events)
        guard var first = events.first?.start else { return .empty }
        var last = first, supplied = 0
        for event in events {
            first = min(first, event.start)
            last = max(last, event.start)
            supplied += max(0, event.daysSupply)
        }
        let stayDays = built.options.stays.reduce(0) { $0 + $1.period.dayCount }
        var start = first, end = last + (supplied + stayDays + 1)
        for stay in built.options.stays {
            start = min(start, stay.period.start)
            end = max(end, stay.period.end)
        }
        return supplyTimeline(events, window: Period(start, end), options: built.options, scratch: &context.supplyScratch)
    }

    // MARK: AdhereR's CMA family

    /// `cma`, `cma_per_episode`, `cma_sliding_windows` and `cma_episodes` over RxAdherence's CMA code.
    // swiftlint:disable:next function_body_length
    static func adherer(
        _ name: String, arguments: [String: Code], argumentExprs: [String: Expr], lowering: Lowering, range: SourceRange
    ) throws(EngineError) -> Eval {
        func optional(_ label: String, _ fallback: Value) -> Eval { arguments[label].or(fallback) }
        guard let fills = arguments["fills"]?.run else { throw EngineError("\(name) needs the argument fills", at: range) }
        let number = optional("n", .int(1))
        // Episodes have no observation window of their own: the follow-up window serves as both.
        let observation = arguments["observation"]?.run ?? arguments["follow_up"]?.run
        guard let observation else { throw EngineError("\(name) needs a window", at: range) }
        let followUp = arguments["follow_up"]?.run
        let carryOnlySame = optional("carry_only_same_drug", .bool(false))
        let doseChange = optional("dose_change", .bool(false))
        let quantityIsDose = optional("quantity_is_daily_dose", .bool(false))
        // Only the episode functions take a permissible gap (required there: sources disagree on a default).
        let maxGap = optional("max_gap", .days(0))
        let maxGapPercent = arguments["max_gap_percent"]?.run
        let medicationChange = optional("medication_change", .bool(true))
        let appendMaxGap = optional("append_max_gap", .bool(false))
        let offset = optional("offset", .days(0))
        let length = optional("length", .days(0)), step = optional("step", .days(0))
        let drug = try drugKey(argumentExprs["drug"], lowering: lowering, range: range)
        return { context in
            guard case .int(let n) = number(&context), let kind = CMAKind(rawValue: n),
                  case .list(let items) = fills(&context), let window = observation(&context).periodValue,
                  case .bool(let carryOnly) = carryOnlySame(&context), case .bool(let dose) = doseChange(&context)
            else { return .missing }
            let follow = followUp.map { $0(&context).periodValue } ?? window
            guard let follow, case .bool(let quantityIsDailyDose) = quantityIsDose(&context),
                  let events = medicationEvents(items, drug: drug, quantityIsDailyDose: quantityIsDailyDose, context: &context)
            else { return .missing }
            // Windows are given as periods; AdhereR states them as offsets from the first event.
            guard let first = events.map(\.date).min() else {
                return name == "cma" ? .missing : .list([])
            }
            let options = CMAOptions(
                followUpStart: .days(follow.start - first), followUpDuration: .days(follow.end - follow.start),
                observationStart: .days(window.start - follow.start), observationDuration: .days(window.end - window.start),
                carryOnlyForSameMedication: carryOnly, considerDosageChange: dose)
            guard case .bool(let splitOnChange) = medicationChange(&context),
                  case .bool(let appendGap) = appendMaxGap(&context) else { return .missing }
            let permissible: MaximumPermissibleGap
            if let maxGapPercent {
                // AdhereR computes in doubles. Like a day count, the value is used as given.
                guard let percent = maxGapPercent(&context).rational else { return .missing }
                permissible = .percentOfDuration(Double(percent.numerator) / Double(percent.denominator))
            } else {
                guard case .days(let gap) = maxGap(&context) else { return .missing }
                permissible = .days(Double(gap))
            }
            let episodeOptions = TreatmentEpisodeOptions(
                maximumPermissibleGap: permissible, medicationChangeMeansNewEpisode: splitOnChange,
                appendMaximumPermissibleGap: appendGap)
            // AdhereR fails a call whose windows do not fit: the result is missing.
            do throws(CMAError) {
                switch name {
                case "cma_episodes":
                    return .list(try treatmentEpisodes(events: events, options: options, episodes: episodeOptions)
                        .map(Value.treatmentEpisode))
                case "cma_per_episode":
                    let rows = try cmaPerEpisode(kind, events: events, options: options, episodes: episodeOptions)
                    return .list(rows.map { row in
                        // The window is the episode clipped to the observation window; a fractional end shows as its day.
                        let start = Day(number: Int32(row.windowStart.rounded(.down)))
                        let end = Day(number: Int32(row.windowEnd.rounded(.down)))
                        return .cmaWindow(CMAWindowValue(
                            number: row.episode.number, period: Period(start, end), value: row.value.number.flatMap(cmaDecimal)))
                    })
                case "cma_sliding_windows":
                    guard case .days(let from) = offset(&context), case .days(let days) = length(&context),
                          case .days(let every) = step(&context), days > 0, every > 0, from >= 0
                    else { return .missing }
                    let rows = try cmaSlidingWindows(kind, events: events, options: options, start: from, length: days, step: every)
                    return .list(rows.map { row in
                        .cmaWindow(CMAWindowValue(
                            number: row.number, period: Period(row.start, row.end), value: row.value.number.flatMap(cmaDecimal)))
                    })
                default:
                    return try RxAdherence.cma(kind, events: events, options: options).number.flatMap(cmaDecimal)
                        .map(Value.decimal) ?? .missing
                }
            } catch {
                return .missing
            }
        }
    }

    /// AdhereR's events from fills: date, duration, daily dose (quantity / days supply, or the quantity
    /// itself when the data carries the daily dose there), medication.
    /// Nil when a dose cannot be computed: a CMA is then missing, never computed from a guessed dose.
    static func medicationEvents(
        _ items: [Value], drug: DrugKey, quantityIsDailyDose: Bool, context: inout MemberContext
    ) -> [MedicationEvent]? {
        var events: [MedicationEvent] = []
        for event in supplyEvents(items, drug: drug, context: &context) where !event.isCombinationCopy {
            let claim = context.records.fills[Int(event.claimIndex)]
            guard let dailyDose = quantityIsDailyDose ? claim.quantity : claim.quantity.dividing(
                by: ExactDecimal(Int64(claim.daysSupply)), scale: 6, rounding: .halfEven)
            else { return nil }
            events.append(MedicationEvent(date: event.start, duration: event.daysSupply, dailyDose: dailyDose,
                                          medication: event.drugKey))
        }
        return events
    }

    /// CMAs are ratios of day counts with dose rescaling, computed in binary floating point as AdhereR
    /// does: kept to 12 decimal places; nil for NA, Inf, NaN or a value too large.
    static func cmaDecimal(_ number: Double) -> Rational? {
        guard number.isFinite else { return nil }
        let scaled = (number * 1e12).rounded()
        guard abs(scaled) < 9e18 else { return nil }
        return Rational(Int(scaled), 1_000_000_000_000)
    }
}
