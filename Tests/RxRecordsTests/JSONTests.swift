import Testing
@testable import RxRecords

@Suite struct JSONTests {
    @Test func parsesEscapesNumbersAndLiterals() throws {
        let value = try JSONParser.parse(#"{"a":"x\"y\\z\n\u00e9\ud83d\ude00","n":-12.50,"e":1e3,"t":true,"f":false,"z":null,"l":[1,{"k":"v"}]}"#)
        #expect(value["a"] == .string("x\"y\\z\né😀"))
        #expect(value["n"] == .number("-12.50"))
        #expect(value["e"] == .number("1e3"))
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["z"] == .null)
        #expect(value["l"]?.elements.count == 2)
        #expect(value["l"]?.elements.last?["k"] == .string("v"))
    }

    @Test(arguments: [#"{"a":1"#, #"{"a":tru}"#, #"{"a":"\ud800"}"#, #"{"a":01x}"#, #"{"a":1} x"#, "[1,]", #"{"a":"\q"}"#])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(text) }
    }

    @Test func quotingRoundTrips() throws {
        let original = "tab\tquote\"back\\slash\u{1}é"
        #expect(try JSONParser.parse(JSONText.quoted(original)) == .string(original))
    }
}
