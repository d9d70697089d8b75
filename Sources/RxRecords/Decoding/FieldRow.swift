/// A row's fields in canonical order for one record kind: `slots[f]` is the column holding
/// canonical field `f`. Every slot is an index into `fields`: a column the input lacks points at an
/// empty field (the one after the row's last, in a CSV row), so a read needs no check.
struct FieldRow {
    var fields: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
    var slots: UnsafeBufferPointer<Int>
    var line: Int
    /// The raw bytes of the source record, for a reject.
    var raw: UnsafeBufferPointer<UInt8>

    @inline(__always)
    func field(_ canonical: Int) -> UnsafeBufferPointer<UInt8> {
        fields[slots[canonical]]
    }

    @inline(__always)
    func isEmpty(_ canonical: Int) -> Bool { field(canonical).isEmpty }

    func string(_ canonical: Int) -> String { String(decoding: field(canonical), as: UTF8.self) }

    var rawText: String { String(decoding: raw, as: UTF8.self) }
}

/// Owns the bytes of a row rebuilt in canonical order (column maps, NDJSON objects).
final class CanonicalRowBuilder {
    private var storage: UnsafeMutableBufferPointer<UInt8>
    private var used = 0
    private var ranges: [(start: Int, count: Int)?]
    private var fieldViews: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
    let identitySlots: UnsafeMutableBufferPointer<Int>

    init(fieldCount: Int) {
        storage = .allocate(capacity: 1 << 12)
        ranges = Array(repeating: nil, count: fieldCount)
        fieldViews = .allocate(capacity: fieldCount)
        fieldViews.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0))
        identitySlots = .allocate(capacity: fieldCount)
        for index in 0..<fieldCount { identitySlots[index] = index }
    }

    deinit {
        storage.deallocate()
        fieldViews.deallocate()
        identitySlots.deallocate()
    }

    func reset() {
        used = 0
        for index in ranges.indices { ranges[index] = nil }
    }

    /// Sets canonical field `index` to `bytes`.
    func set(_ index: Int, _ bytes: some Collection<UInt8>) {
        ensure(bytes.count)
        let start = used
        for byte in bytes {
            storage[used] = byte
            used += 1
        }
        ranges[index] = (start, bytes.count)
    }

    func set(_ index: Int, _ text: String) { set(index, Array(text.utf8)) }

    private func ensure(_ extra: Int) {
        guard used + extra > storage.count else { return }
        var size = storage.count
        while used + extra > size { size *= 2 }
        let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size)
        larger.baseAddress!.update(from: storage.baseAddress!, count: used)
        storage.deallocate()
        storage = larger
    }

    /// The row as a `FieldRow`; valid until the next `reset` or `set`.
    func row(line: Int, raw: UnsafeBufferPointer<UInt8>) -> FieldRow {
        for (index, range) in ranges.enumerated() {
            if let range {
                fieldViews[index] = UnsafeBufferPointer(start: storage.baseAddress! + range.start, count: range.count)
            } else {
                fieldViews[index] = UnsafeBufferPointer(start: nil, count: 0)
            }
        }
        return FieldRow(fields: UnsafeBufferPointer(fieldViews), slots: UnsafeBufferPointer(identitySlots),
                        line: line, raw: raw)
    }
}
