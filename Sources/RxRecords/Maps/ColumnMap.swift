/// How the files of an input directory become canonical records.
public enum ColumnMap: Sendable, Equatable {
    /// data-model.md layout: `members.csv`, `enrollment.csv`, `pharmacy_claims.csv`, `medical_claims.csv`,
    /// `observations.csv` (each may be `.ndjson` instead; each is optional).
    case canonical
    /// CMS DE-SynPUF CSV files, recognised by their published names.
    case synpuf
    /// FHIR R4 Bulk Data NDJSON: every `.ndjson` file, each line dispatched on its `resourceType`.
    case fhir
    /// A user map file (see docs/data.md).
    case user(UserMap)

    /// `canonical`, `synpuf` or `fhir`; a user map is loaded with `UserMap.parse`.
    public init?(name: String) {
        switch name {
        case "canonical": self = .canonical
        case "synpuf": self = .synpuf
        case "fhir": self = .fhir
        default: return nil
        }
    }
}

/// One input file and how to read it.
struct SourceFile {
    enum Layout {
        case canonicalCSV
        case canonicalNDJSON
        case mappedCSV(rules: [String: FieldRule], keep: (String, String)?, mergeMembers: Bool)
        case fhirNDJSON
    }

    var path: String
    var name: String
    /// The kind of record; nil for FHIR files (decided per line).
    var kind: RecordKind?
    var layout: Layout
}

extension ColumnMap {
    /// The input files of `directory` under this map, in a deterministic order (kind, then name).
    func sources(in directory: String, names: [String]) throws -> [SourceFile] {
        let sorted = names.sorted()
        func path(_ name: String) -> String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }
        var result: [SourceFile] = []
        switch self {
        case .canonical:
            for kind in RecordKind.allCases {
                if sorted.contains(kind.fileStem + ".csv") {
                    result.append(SourceFile(path: path(kind.fileStem + ".csv"), name: kind.fileStem + ".csv", kind: kind, layout: .canonicalCSV))
                } else if sorted.contains(kind.fileStem + ".ndjson") {
                    result.append(SourceFile(path: path(kind.fileStem + ".ndjson"), name: kind.fileStem + ".ndjson", kind: kind, layout: .canonicalNDJSON))
                }
            }
        case .synpuf:
            for kind in RecordKind.allCases {
                for name in sorted where name.lowercased().hasSuffix(".csv") {
                    if let (fileKind, rules, keep) = SynPUF.layout(forFileName: name), fileKind == kind {
                        result.append(SourceFile(path: path(name), name: name, kind: kind,
                                                 layout: .mappedCSV(rules: rules, keep: keep, mergeMembers: kind == .members)))
                    }
                }
            }
        case .fhir:
            for name in sorted where name.lowercased().hasSuffix(".ndjson") {
                result.append(SourceFile(path: path(name), name: name, kind: nil, layout: .fhirNDJSON))
            }
        case .user(let map):
            for kind in RecordKind.allCases {
                guard let section = map.sections[kind] else { continue }
                guard sorted.contains(section.file) else {
                    throw InputError(file: section.file, message: "file named in the column map is not in the input directory")
                }
                result.append(SourceFile(path: path(section.file), name: section.file, kind: kind,
                                         layout: .mappedCSV(rules: section.rules, keep: nil, mergeMembers: false)))
            }
        }
        return result
    }
}
