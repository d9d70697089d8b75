import Testing
@testable import RxSynth

@Suite("Random streams")
struct RandomTests {
    @Test("SplitMix64 matches the reference outputs for seed 1234567")
    func splitMixReference() {
        var generator = SplitMix64(seed: 1_234_567)
        let outputs = (0..<5).map { _ in generator.next() }
        #expect(outputs == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                            4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    @Test("member streams are reproducible and independent")
    func streams() {
        var first = SynthRandom(seed: 7, member: 3, stream: .behaviour)
        var again = SynthRandom(seed: 7, member: 3, stream: .behaviour)
        var other = SynthRandom(seed: 7, member: 4, stream: .behaviour)
        var corruption = SynthRandom(seed: 7, member: 3, stream: .corruption)
        let a = (0..<8).map { _ in first.next() }
        #expect(a == (0..<8).map { _ in again.next() })
        #expect(a != (0..<8).map { _ in other.next() })
        #expect(a != (0..<8).map { _ in corruption.next() })
    }

    @Test("below(n) stays in range and is close to uniform", arguments: [1, 2, 3, 7, 1000])
    func uniform(bound: Int) {
        var random = SynthRandom(seed: 99, member: 1, stream: .behaviour)
        var counts = [Int](repeating: 0, count: bound)
        let draws = 20_000 * bound
        for _ in 0..<draws { counts[random.below(bound)] += 1 }
        // Each bucket expects 20,000; 5 % is over 7 standard deviations for a fair generator.
        #expect(counts.allSatisfy { abs($0 - 20_000) < 1_000 })
    }

    @Test("weighted choices follow their weights")
    func weighted() {
        var random = SynthRandom(seed: 5, member: 9, stream: .behaviour)
        var counts = [0, 0, 0]
        for _ in 0..<100_000 { counts[random.weighted([1, 0, 3])] += 1 }
        #expect(counts[1] == 0)
        #expect(abs(counts[0] - 25_000) < 1_000)
        #expect(abs(counts[2] - 75_000) < 1_000)
    }
}
