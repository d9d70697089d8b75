import Foundation
import RxLanguage
import RxValues
import Testing
@testable import RxPacks

@Suite struct NativeFunctionTests {
    static func declared(_ pack: LoadedPack) -> [String: NativeSignature] {
        PackChecker.check(folder: pack.folder, overrides: []).pack.nativeFunctions
    }

    @Test func theModuleRegistersWhatThePackDeclares() throws {
        let module = try PackSource.load(fixture("StatinCvRefund"))
        let declared = Self.declared(module)
        #expect(declared["cv_risk_points"]?.parameters.map(\.type) == [.int, .bool])
        #expect(declared["cv_risk_points"]?.result == .int)
        let natives = try PackSource.bindNatives(module, declared: declared, moduleDirectories: [])
        let points = try #require(natives["cv_risk_points"])
        #expect(points([.int(64), .bool(true)]) == .int(4))
        #expect(points([.int(64), .bool(false)]) == .int(3))
        #expect(points([.int(35), .bool(false)]) == .int(0))
        #expect(points([.int(75), .bool(true)]) == .int(5))
        // The wrong kinds make the function report a failure, never trap.
        #expect(points([.string("64"), .bool(true)]) == nil)
        #expect(points([.int(64)]) == nil)
    }

    @Test func aFolderPackTakesItsNativesFromItsBuiltModule() throws {
        let folder = try PackSource.load(packFolder("statin-cv-refund"))
        let natives = try PackSource.bindNatives(
            folder, declared: Self.declared(folder), moduleDirectories: [builtProductsDirectory().path])
        #expect(natives["cv_risk_points"]?([.int(50), .bool(false)]) == .int(2))
    }

    @Test func aFolderPackWithNativesNeedsItsModule() throws {
        let folder = try PackSource.load(packFolder("statin-cv-refund"))
        let reason = refusal {
            _ = try PackSource.bindNatives(folder, declared: Self.declared(folder), moduleDirectories: ["no-such-folder"])
        }
        #expect(reason == .nativesNeedModule(names: ["cv_risk_points"], module: "libStatinCvRefund.so"))
    }

    @Test func declarationsThatDoNotMatchTheModuleAreRefused() throws {
        let module = try PackSource.load(fixture("StatinCvRefund"))
        var declared = Self.declared(module)
        let original = try #require(declared["cv_risk_points"])

        var retyped = original
        retyped.result = .decimal
        declared["cv_risk_points"] = retyped
        guard case .nativeMismatch(let name, let detail)? = refusal({
            _ = try PackSource.bindNatives(module, declared: declared, moduleDirectories: [])
        }) else {
            Issue.record("a retyped native was accepted")
            return
        }
        #expect(name == "cv_risk_points")
        #expect(detail == "is registered as (Int, Bool) returns Int, declared as (Int, Bool) returns Decimal")

        declared = ["cv_risk_points": original, "other": original]
        #expect(refusal { _ = try PackSource.bindNatives(module, declared: declared, moduleDirectories: []) }
                == .nativeMismatch(name: "other", detail: "is declared but the module does not register it"))

        #expect(refusal { _ = try PackSource.bindNatives(module, declared: [:], moduleDirectories: []) }
                == .nativeMismatch(name: "cv_risk_points", detail: "is registered but not declared with 'native'"))
    }

    @Test func packsWithoutNativesBindNothing() throws {
        let folder = try PackSource.load(packFolder("pbm-edits"))
        #expect(try PackSource.bindNatives(folder, declared: [:], moduleDirectories: []).isEmpty)
    }
}
