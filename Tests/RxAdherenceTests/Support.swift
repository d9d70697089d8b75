import RxValues
@testable import RxAdherence

/// A day from an ISO literal in test sources; an unparsable literal is a test bug and yields day 0.
func day(_ text: String) -> Day { Day(text) ?? Day(number: 0) }

/// A closed period from two ISO literals.
func period(_ start: String, _ end: String) -> Period { Period(day(start), day(end)) }

/// A fill; claim indexes count from 0 in the order written.
func fill(_ date: String, _ daysSupply: Int, drug: Int32 = 1, dose: ExactDecimal? = nil, claim: Int32) -> SupplyEvent {
    SupplyEvent(start: day(date), daysSupply: daysSupply, drugKey: drug, dose: dose, claimIndex: claim)
}

/// Deterministic pseudo-random numbers (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
