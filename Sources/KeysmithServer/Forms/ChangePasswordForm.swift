/// `/account/password`: the current password proves it is really the owner at the keyboard.
struct ChangePasswordForm: Decodable, Sendable {
    var currentPassword: String?
    var newPassword: String?

    enum CodingKeys: String, CodingKey {
        case currentPassword = "current_password"
        case newPassword = "new_password"
    }
}
