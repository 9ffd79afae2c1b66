/// What the shared layout shows around every page: title, navigation, account menu, flash and the CSRF token.
struct Layout: Sendable {
    enum Section: Sendable {
        case keys, audit, account, none
    }

    let title: String
    let csrfToken: String
    /// The signed-in email; nil shows the signed-out header.
    let email: String?
    let flash: FlashBox?
    let isAuthPage: Bool
    let inKeys: Bool
    let inAudit: Bool
    let inAccount: Bool

    init(title: String, csrfToken: String, email: String?, flash: Flash?, section: Section = .none, isAuthPage: Bool = false) {
        self.title = title
        self.csrfToken = csrfToken
        self.email = email
        self.flash = flash.map(FlashBox.init)
        self.isAuthPage = isAuthPage
        self.inKeys = section == .keys
        self.inAudit = section == .audit
        self.inAccount = section == .account
    }

    init(_ title: String, _ context: AppRequestContext, isAuthPage: Bool = false) {
        self.init(
            title: title, csrfToken: context.csrfToken, email: context.identity?.email, flash: context.flash,
            isAuthPage: isAuthPage)
    }

    init(_ title: String, _ context: ConsoleContext, section: Section) {
        self.init(
            title: title, csrfToken: context.csrfToken, email: context.account.email, flash: context.flash, section: section)
    }
}
