import KeysmithCore
import Testing

@Test(arguments: ["correct horse battery", "Tr0ub4dor&3-extended", "a long passphrase with spaces"])
func goodPasswordsPass(password: String) {
    #expect(PasswordPolicy.check(password) == nil)
}

@Test(arguments: [
    ("short", "Use at least 12 characters."),
    ("elevenchars", "Use at least 12 characters."),
    ("password1234", "This password is too common. Choose another one."),
    ("QWERTYUIOP12", "This password is too common. Choose another one."),
    ("aaaaaaaaaaaaa", "Use more different characters."),
])
func weakPasswordsAreRejectedWithTheReason(password: String, message: String) {
    #expect(PasswordPolicy.check(password)?.text == message)
}

@Test func passwordMayNotBeTheEmail() throws {
    let email = try EmailAddress.parse("longname@example.com").get()

    #expect(PasswordPolicy.check("longname@example.com", email: email)?.text == "Your password must not be your email address.")
}

@Test func overlongPasswordIsRejected() {
    #expect(PasswordPolicy.check(String(repeating: "ab1", count: 100)) == "Use at most 256 characters.")
}
