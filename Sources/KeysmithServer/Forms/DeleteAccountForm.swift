/// `/account/delete`: asks for the password so a forgotten open laptop cannot end the account.
struct DeleteAccountForm: Decodable, Sendable {
    var password: String?
}
