import KeysmithCore
import Testing

@Test(arguments: [
    ("ann@example.com", "ann@example.com"),
    ("  Ann@Example.COM\n", "ann@example.com"),
    ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
])
func emailIsTrimmedAndLowercased(input: String, normalized: String) throws {
    let email = try EmailAddress.parse(input).get()

    #expect(email.value == normalized)
}

@Test(arguments: [
    "", "   ", "ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "ann@.example.com",
    "ann@example.com.", "a nn@example.com", "<script>@example.com", "ann@exa..mple.com",
])
func malformedEmailsAreRejectedWithAMessage(input: String) {
    guard case .failure(let message) = EmailAddress.parse(input) else {
        Issue.record("\(input) was accepted")
        return
    }
    #expect(!message.text.isEmpty)
}

@Test func overlongEmailIsRejected() {
    let input = String(repeating: "a", count: 250) + "@example.com"

    #expect(throws: FieldMessage.self) { try EmailAddress.parse(input).get() }
}
