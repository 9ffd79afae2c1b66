import Foundation
import KeysmithCore
import Testing

struct KeyMetadataTests {
    @Test(arguments: [
        ("", "{}"), ("  ", "{}"), ("null", "{}"), ("{}", "{}"), (#"{"b":1,"a":"x"}"#, #"{"a":"x","b":1}"#),
        (#"  {"team": "billing", "tags": [1, 2.5, true, null, "a/b"]}"#, #"{"tags":[1,2.5,true,null,"a/b"],"team":"billing"}"#),
        (#"{"big": 9007199254740993}"#, #"{"big":9007199254740993}"#),
        (#"{"nested": {"z": {}, "a": []}}"#, #"{"nested":{"a":[],"z":{}}}"#),
    ])
    func metadataIsAJSONObjectStoredCompactWithSortedKeys(text: String, json: String) throws {
        #expect(try KeyMetadata.parse(json: text).get().json == json)
    }

    @Test(arguments: [
        ("[]", "Metadata must be a JSON object, such as {\"team\": \"billing\"}."),
        (#""x""#, "Metadata must be a JSON object, such as {\"team\": \"billing\"}."),
        ("42", "Metadata must be a JSON object, such as {\"team\": \"billing\"}."),
        ("{", "Enter valid JSON, such as {\"team\": \"billing\"}."),
        ("{'a': 1}", "Enter valid JSON, such as {\"team\": \"billing\"}."),
        (#"{"a": 1} {"b": 2}"#, "Enter valid JSON, such as {\"team\": \"billing\"}."),
    ])
    func anythingButAJSONObjectIsRefused(text: String, message: String) {
        #expect(KeyMetadata.parse(json: text) == .failure(FieldMessage(message)))
    }

    /// `{"a":"<n x>"}` is n + 8 bytes.
    @Test(arguments: [(4088, nil), (4089, "Metadata is 4097 bytes; the limit is 4096.")] as [(Int, String?)])
    func metadataIsAtMost4KiBEncoded(fill: Int, message: String?) {
        let result = KeyMetadata.parse(.object(["a": .string(String(repeating: "x", count: fill))]))

        if let message {
            #expect(result == .failure(FieldMessage(message)))
        } else {
            #expect((try? result.get())?.json.utf8.count == 4096)
        }
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(
            KeyMetadata.parse(.object(["a": .number(.infinity)]))
                == .failure("Metadata must be plain JSON (numbers must be finite)."))
    }

    @Test func metadataEncodesAsItsObjectAndRevalidatesWhenDecoded() throws {
        let metadata = try KeyMetadata.parse(json: #"{"team":"billing","n":[1,2.5]}"#).get()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys

        let data = try encoder.encode(["meta": metadata])

        #expect(String(decoding: data, as: UTF8.self) == #"{"meta":{"n":[1,2.5],"team":"billing"}}"#)
        #expect(try JSONDecoder().decode([String: KeyMetadata].self, from: data) == ["meta": metadata])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(KeyMetadata.self, from: Data("[1]".utf8)) }
        #expect(metadata.object["team"] == .string("billing"))
    }
}
