/// Generates random but syntactically valid rules programs from a seed, covering every declaration,
/// clause and expression form, with comments and blank lines in legal places.
struct ProgramGenerator {
    private var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    private static let names = [
        "fills", "medical", "statins", "ipsd", "treatment", "pdc", "threshold", "fill_date", "days_supply",
        "paid_amount", "this", "history", "it", "covered", "measurement_period", "adherent_first_180", "cv",
    ]
    private static let functions = ["first", "last", "count", "sum", "min", "max", "any", "supply", "pdc", "age"]
    private static let labels = ["within", "at", "overlap", "drug", "carry_in", "stays"]
    private static let types = ["Int", "Decimal", "Bool", "Date", "Period", "Money", "String", "List<Date>", "Date?"]

    private mutating func int(_ upper: Int) -> Int { Int.random(in: 0..<upper, using: &random) }
    private mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    private mutating func pick(_ items: [String]) -> String { items[int(items.count)] }

    private mutating func name() -> String { pick(Self.names) }

    private mutating func literal() -> String {
        switch int(8) {
        case 0: return String(int(1000))
        case 1: return "0.\(int(90) + 10)"
        case 2: return "\(int(5000)).00 USD"
        case 3: return "2025-0\(int(9) + 1)-1\(int(9))"
        case 4: return "\"text \(int(100))\""
        case 5: return chance(50) ? "true" : "false"
        case 6: return "\(int(400) + 1) days"
        default: return "\(int(12) + 1) months"
        }
    }

    /// Something that binds at least as tightly as a postfix expression.
    private mutating func atom(_ depth: Int) -> String {
        if depth <= 0 { return chance(50) ? name() : literal() }
        switch int(9) {
        case 0: return "(" + expression(depth - 1) + ")"
        case 1: return name() + "." + name()
        case 2:
            var arguments: [String] = []
            for _ in 0..<int(3) { arguments.append(expression(depth - 1)) }
            if chance(50) { arguments.append(pick(Self.labels) + ": " + expression(depth - 1)) }
            return pick(Self.functions) + "(" + arguments.joined(separator: ", ") + ")"
        case 3: return "[" + (0..<int(3)).map { _ in expression(depth - 1) }.joined(separator: ", ") + "]"
        case 4: return "(" + atom(depth - 1) + ") days"
        case 5: return "first(" + name() + ").fill_date"
        default: return chance(50) ? name() : literal()
        }
    }

    /// Any expression.
    mutating func expression(_ depth: Int) -> String {
        switch int(12) {
        case 0: return atom(depth) + " " + pick(["=", "!=", "<", "<=", ">", ">=", "in", "not in"]) + " " + atom(depth)
        case 1:
            var text = atom(depth)
            for _ in 0..<(int(5) + 1) {
                text += " " + pick(["and", "or", "+", "-", "*", "/", "??"]) + " " + atom(depth - 1)
            }
            return text
        case 2: return "not " + atom(depth)
        case 3: return "-" + atom(depth)
        case 4: return atom(depth) + " .. " + atom(depth)
        case 5: return "(if " + expression(depth - 1) + " then " + expression(depth - 1) + " else " + expression(depth - 1) + ")"
        case 6: return "(" + atom(depth) + " where " + atom(depth) + " = " + atom(depth - 1) + ")"
        case 7: return atom(depth) + " exists"
        case 8: return atom(depth) + " is missing"
        case 9:
            // A long wrapped expression.
            return (0..<(int(6) + 4)).map { _ in "any(medical where setting = " + name() + ")" }.joined(separator: " and ")
        default: return atom(depth)
        }
    }

    private mutating func comment() -> String { "# note \(int(1000))" }

    private mutating func trailing() -> String { chance(20) ? "  " + comment() : "" }

    private mutating func lead(_ indent: String) -> String {
        var text = ""
        if chance(15) { text += "\n" }
        if chance(20) { text += indent + comment() + "\n" }
        return text
    }

    private mutating func word() -> String { "w\(int(100_000))" }

    /// A whole program of `count` declarations.
    mutating func program(declarations count: Int) -> String {
        var text = "pack \"generated\" version \"1.0.\(int(10))\"\n  title \"Generated\"\n  currency USD\n"
        for _ in 0..<count {
            text += lead("")
            switch int(8) {
            case 0:
                text += "parameter \(word()): \(pick(Self.types)) = \(expression(2))\(trailing())\n"
            case 1:
                if chance(50) {
                    text += "valueset \(word()) = file \"sets/\(int(9)).csv\" columns (code, ingredient)\(trailing())\n"
                    if chance(50) { text += "  version \"D.\(int(9))\"\n" }
                } else {
                    text += "valueset \(word()) = icd10 [\"I21*\", \"N18.\(int(9))\"]\(trailing())\n"
                }
            case 2:
                text += "define \(word()) = \(expression(3))\(trailing())\n"
            case 3:
                text += "measure \(word()) \"Measure\"\(trailing())\n"
                text += lead("  ") + "  include when \(expression(3))\(trailing())\n"
                text += lead("  ") + "  exclude \"reason\" when \(expression(2))\n"
                text += "  exclude when \(expression(2))\n"
                text += lead("  ") + "  value \(word()) = \(expression(3))\(trailing())\n"
            case 4:
                text += "contract \(word()) \"Contract\"\n"
                text += "  window = ipsd .. ipsd + 365 days\n"
                text += lead("  ") + "  eligible when \(expression(2))\n"
                text += "  gate \(word()) = \(expression(2))\(trailing())\n"
                text += "  event \(word()) = \(expression(2))\n"
                text += "  let \(word()) = \(expression(2))\n"
                text += "  payout when (\(expression(2))) = \(expression(2))\n"
                if chance(30) { text += "  payout = \(expression(1))\n" }
            case 5:
                text += "claim rule \(word()) \"Rule\"\n"
                text += "  for fills where \(atom(2)) in statins\n"
                if chance(50) { text += "  codes reject_codes\n" }
                text += "  let \(word()) = \(expression(2))\(trailing())\n"
                text += "  reject \(pick(["79", "76", "AG", "\"M1\""])) \"Message\" when \(expression(3))\n"
                if chance(50) { text += "    next fill \(expression(1))\n" }
            case 6:
                text += "test \"case \(int(1000))\" {\(trailing())\n"
                text += "  member birth_date 1960-05-01 sex F\n"
                text += "  enroll 2025-01-01 .. 2025-12-31 plan \"PDP\(int(9))\"\n"
                text += lead("  ") + "  fill 2025-01-0\(int(9) + 1) ndc 00000000\(int(900) + 100) days 30 quantity 30 paid 12.00 USD\n"
                text += "  medical inpatient 2025-06-10 .. 2025-06-16 dx \"I21.4\"\n"
                text += "  observation 2025-03-01 code \"4548-4\" value 7.9 unit \"%\"\n"
                text += "  param threshold = \(expression(1))\n"
                text += "  expect \(name()).\(name()) = \(expression(2))\n"
                text += "  expect \(name()) on 2025-01-25 = reject 79\n"
                text += "  expect \(name()) excluded \"hospice\"\n"
                text += "  expect \(name()) included\n"
                if chance(30) { text += "  " + comment() + "\n" }
                text += "}\n"
            default:
                text += "define \(word()): \(pick(Self.types)) = \(expression(2))\n"
            }
        }
        if chance(30) { text += comment() + "\n" }
        return text
    }
}
