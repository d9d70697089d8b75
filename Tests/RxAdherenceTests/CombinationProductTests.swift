import RxAdherence
import RxValues
import Testing

/// A combination product listed under two target ingredients: one event per ingredient, the second
/// marked as a copy. Metformin is drug 1, sitagliptin drug 2.
@Suite("Combination products")
struct CombinationProductTests {
    static let year = period("2025-01-01", "2025-12-31")

    /// Metformin 1 Jan (30 days), then sitagliptin/metformin 20 Jan (30 days).
    static let events = [
        fill("2025-01-01", 30, drug: 1, claim: 0),
        fill("2025-01-20", 30, drug: 2, claim: 1),
        SupplyEvent(start: day("2025-01-20"), daysSupply: 30, drugKey: 1, claimIndex: 1, isCombinationCopy: true),
    ]

    @Test("shift_same_drug places the copy in its own ingredient's chain: coverage to each")
    func sameDrugShiftsEachIngredient() {
        let result = pdc(Self.events, period: Self.year, options: SupplyOptions(overlap: .shiftSameDrug))
        // Metformin 1-30 Jan, its copy shifted to 31 Jan - 1 Mar, sitagliptin 20 Jan - 18 Feb.
        #expect(result.numerator == 60)
        #expect(result.supply.placements.map(\.claimIndex) == [0, 1, 1])
    }

    @Test("shift_all and union take the fill once")
    func otherRulesTakeTheFillOnce() {
        let all = pdc(Self.events, period: Self.year, options: SupplyOptions(overlap: .shiftAll))
        #expect(all.numerator == 60)  // 1-30 Jan, then 31 Jan - 1 Mar: the copy would add 30 more
        #expect(all.supply.placements.count == 2)
        let union = pdc(Self.events, period: Self.year, options: SupplyOptions(overlap: .union))
        #expect(union.numerator == 49)  // 1 Jan - 18 Feb
    }

    @Test("MPR and dispensed days count the fill's days supply once")
    func countedOnce() {
        let ratio = mpr(Self.events, period: Self.year, variant: .period)
        #expect(ratio.numerator == 60)
        let days = daysOnTherapy(Self.events, period: Self.year, permissibleGap: .days(30))
        #expect(days.dispensed == 60)
        #expect(days.covered == 60)
    }
}
