/// SplitMix64: a tiny 64-bit generator, used here only to derive well-mixed seeds.
///
/// Written from the published algorithm (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", 2014) so that output never depends on the standard library's generators.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256**: the generator behind every random choice of the synthetic data.
///
/// Each member gets its own generator derived from (seed, member number, stream), so a member's
/// records do not depend on which thread made them or on how many members came before.
struct SynthRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Independent streams of one member: the behaviour stream and the corruption stream never
    /// share draws, so clean and dirty data agree on every row that was not corrupted.
    enum Stream: UInt64, Sendable {
        case behaviour = 1
        case corruption = 2
    }

    init(seed: UInt64, member: Int, stream: Stream) {
        var mixer = SplitMix64(seed: seed)
        let base = mixer.next()
        var derived = SplitMix64(seed: base ^ (UInt64(truncatingIfNeeded: member) &* 0xD6E8_FEB8_6659_FD93)
            ^ (stream.rawValue &* 0xA076_1D64_78BD_642F))
        s0 = derived.next()
        s1 = derived.next()
        s2 = derived.next()
        s3 = derived.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is the one state xoshiro cannot leave
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection: no modulo bias).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64(bound)
        var product = next().multipliedFullWidth(by: limit)
        if product.low < limit {
            let threshold = (0 &- limit) % limit
            while product.low < threshold {
                product = next().multipliedFullWidth(by: limit)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in the closed range.
    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille / 1000`.
    mutating func chance(perMille: Int) -> Bool { below(1000) < perMille }

    /// True with probability `perMillion / 1_000_000`.
    mutating func chance(perMillion: Int) -> Bool { below(1_000_000) < perMillion }

    /// One element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element { elements[below(elements.count)] }

    /// An index chosen with the given integer weights (at least one positive).
    mutating func weighted(_ weights: [Int]) -> Int {
        var roll = below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }
}
