#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Reading a large canonical medical claims file on a worker thread while the files before it are read.
///
/// The worker reads the whole file into its own buffers and code tables from the start of the load.
/// When this thread reaches the file in reading order, it waits for the worker and adopts its records:
/// code and member ids are re-interned into this thread's tables in the worker's first-seen order and
/// the records and code pool are remapped in place (no copy, so no second copy in memory). Codes,
/// member ids, order, counts and rejects are those of a sequential read.
extension Ingest {
    /// Reads `sources` in order, the first medical claims file on a worker thread when it qualifies.
    func read(_ sources: [SourceFile]) throws {
        guard let position = overlapCandidate(sources) else {
            for source in sources { try read(source) }
            return
        }
        let medical = sources[position]
        let box = WorkerResult()
        let group = DispatchGroup()
        let internsIdentifiers = self.internsIdentifiers
        let path = medical.path, name = medical.name
        DispatchQueue.global().async(group: group) {
            let worker = Ingest()
            worker.internsIdentifiers = internsIdentifiers
            let source = SourceFile(path: path, name: name, kind: .medicalClaims, layout: .canonicalCSV)
            worker.reserve(for: source)
            do {
                // File index 0 in the worker; the adopted claims get this thread's index.
                try worker.read(source, input: ChunkedInput(path: path, name: name))
                box.result = .success(worker)
            } catch {
                box.result = .failure(error)
            }
        }
        // Never return (or throw) with the worker still running.
        defer { group.wait() }
        for (index, source) in sources.enumerated() {
            guard index == position else {
                try read(source)
                continue
            }
            group.wait()
            switch box.result {
            case .success(let worker): try adoptMedical(worker, source: medical)
            case .failure(let error): throw error
            case nil: throw InputError(file: medical.name, message: "the reader of the medical claims file did not finish")
            }
        }
    }

    /// The index of the medical claims file to read on a worker, nil when every file is read in turn.
    private func overlapCandidate(_ sources: [SourceFile]) -> Int? {
        guard workers >= 2, spill == nil else { return nil }
        // The first file that can hold medical claims (FHIR files hold any kind).
        guard let position = sources.firstIndex(where: { $0.kind == nil || $0.kind == .medicalClaims }),
              sources[position].kind == .medicalClaims, case .canonicalCSV = sources[position].layout else { return nil }
        var info = stat()
        guard stat(sources[position].path, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        // Code pool offsets are Int32: stay far from that limit (a code takes at least 2 bytes).
        guard size >= minimumSplitBytes, size < Int(Int32.max) else { return nil }
        return position
    }

    /// Takes the worker's counts, rejects and records as if this thread had read the file now.
    private func adoptMedical(_ worker: Ingest, source: SourceFile) throws {
        // The checks and bookkeeping of `read(_:input:)` and `readCSV`, in their order.
        guard report.files.count < Int(UInt16.max) else {
            throw InputError(file: source.name, message: "more than \(UInt16.max) input files in one load")
        }
        let file = fileIndex(source.name)
        let target = summary(file, .medicalClaims)
        for part in worker.report.summaries {
            report.summaries[target].read += part.read
            report.summaries[target].accepted += part.accepted
            report.summaries[target].rejected += part.rejected
            report.summaries[target].skipped += part.skipped
        }
        report.rejects.append(contentsOf: worker.report.rejects)
        let other = worker.takeBuffers()
        guard buffers.codePool.count + other.codePool.count < Int(Int32.max) else {
            throw InputError(file: source.name, message: "more than \(Int32.max) medical codes in one load: use a memory budget")
        }
        buffers.adoptMedicalClaims(of: other, file: file)
        overlapsAdopted += 1
    }
}

extension RecordBuffers {
    /// Appends another reader's medical claims (read after everything in these buffers), remapping
    /// its code and member ids into these tables in its first-seen order. When these buffers hold no
    /// medical claims yet, the other arrays are taken over after remapping in place.
    mutating func adoptMedicalClaims(of other: consuming RecordBuffers, file: UInt16) {
        var other = other
        let (codeMap, memberMap) = takeTables(of: &other)
        let poolBase = Int32(codePool.count)
        other.codePool.withUnsafeMutableBufferPointer { pool in
            for index in pool.indices { pool[index] = codeMap[Int(pool[index])] }
        }
        other.medicalClaims.withUnsafeMutableBufferPointer { claims in
            for index in claims.indices {
                claims[index].member = memberMap[Int(claims[index].member)]
                claims[index].diagnosisStart += poolBase
                claims[index].sourceFile = file
            }
        }
        if medicalClaims.isEmpty {
            medicalClaims = other.medicalClaims
        } else {
            medicalClaims.append(contentsOf: other.medicalClaims)
        }
        other.medicalClaims = []
        if codePool.isEmpty {
            codePool = other.codePool
        } else {
            codePool.append(contentsOf: other.codePool)
        }
    }
}
