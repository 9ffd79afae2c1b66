import Foundation
import KeysmithCore
import Testing

@Test(arguments: ["ks", "acme", "abcdefgh", " sk "])
func validPrefixesAreAccepted(input: String) throws {
    let prefix = try KeyPrefix.parse(input).get()

    #expect(prefix.value == input.trimmingCharacters(in: .whitespaces))
}

@Test(arguments: ["", "k", "abcdefghi", "KS", "k1", "k_s", "ké", "<b>"])
func invalidPrefixesAreRejected(input: String) {
    #expect(throws: FieldMessage.self) { try KeyPrefix.parse(input).get() }
}
