/// A row under construction: bytes go into a fixed scratch area with plain pointer writes, and
/// the finished row is appended to its file's buffer in one copy (appending byte by byte to an
/// Array costs a uniqueness and capacity check per byte, the largest cost of generation).
///
/// Not copyable: it owns its scratch memory and frees it when it goes away.
struct RowScratch: ~Copyable {
    /// Generated rows are far shorter; a longer one is a bug in the generator, not bad input.
    static let capacity = 4_096

    private let base: UnsafeMutablePointer<UInt8>
    private var count = 0

    init() { base = .allocate(capacity: RowScratch.capacity) }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        precondition(count < RowScratch.capacity, "generated row longer than the scratch area")
        base[count] = value
        count += 1
    }

    @inline(__always) mutating func comma() { byte(UInt8(ascii: ",")) }
    @inline(__always) mutating func newline() { byte(UInt8(ascii: "\n")) }

    mutating func bytes(_ values: UnsafeBufferPointer<UInt8>) {
        precondition(count + values.count <= RowScratch.capacity, "generated row longer than the scratch area")
        guard let source = values.baseAddress else { return }
        (base + count).update(from: source, count: values.count)
        count += values.count
    }

    @inline(__always)
    mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { bytes($0) }
    }

    mutating func text(_ string: String) {
        var string = string
        string.withUTF8 { bytes($0) }
    }

    mutating func bytes(_ values: [UInt8]) {
        values.withUnsafeBufferPointer { bytes($0) }
    }

    /// An integer, its digits left-padded with zeros to at least `width`.
    mutating func number(_ value: Int, width: Int = 1) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var digits = 1
        var probe = rest
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        for _ in digits..<max(digits, width) { byte(UInt8(ascii: "0")) }
        precondition(count + digits <= RowScratch.capacity, "generated row longer than the scratch area")
        var index = count + digits - 1
        repeat {
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        } while rest > 0
        count += digits
    }

    /// Cents as money with exactly two fraction digits: `1234` → `12.34`.
    mutating func money(cents: Int) {
        if cents < 0 { byte(UInt8(ascii: "-")) }
        let magnitude = cents < 0 ? 0 - cents : cents
        number(magnitude / 100)
        byte(UInt8(ascii: "."))
        number(magnitude % 100, width: 2)
    }

    /// Tenths as a decimal, without a fraction when it is zero: `150` → `15`, `15` → `1.5`.
    mutating func tenths(_ value: Int) {
        number(value / 10)
        if value % 10 != 0 {
            byte(UInt8(ascii: "."))
            number(value % 10)
        }
    }

    /// Appends the row to `buffer` and starts an empty one.
    mutating func flush(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        count = 0
    }
}
