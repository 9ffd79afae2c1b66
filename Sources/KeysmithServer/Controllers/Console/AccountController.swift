import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/account`: the signed-in user's profile, workspaces, password, sessions and account deletion.
struct AccountController {
    let services: AppServices

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get(SiteURL.account.route, use: show)
        routes.post(SiteURL.accountPassword.route, use: changePassword)
        routes.post(SiteURL.accountSessionsRevoke.route, use: revokeOtherSessions)
        routes.post(SiteURL.accountDelete.route, use: delete)
    }

    /// Which form of the page failed, so only its messages and values come back.
    private struct FormErrors {
        var password: [String: String] = [:]
        var delete: [String: String] = [:]
    }

    @Sendable func show(_ request: Request, context: ConsoleContext) async throws -> Response {
        try await render(context, errors: FormErrors())
    }

    @Sendable func changePassword(_ request: Request, context: ConsoleContext) async throws -> Response {
        let form = try await request.decode(as: ChangePasswordForm.self, context: context)
        let account = try await currentAccount(context)
        var errors: [String: String] = [:]
        let current = form.currentPassword ?? ""
        let new = form.newPassword ?? ""
        var status = HTTPResponse.Status.unprocessableContent
        if current.isEmpty {
            errors["current_password"] = "Enter your current password."
        } else if let refusal = try await passwordRefusal(
            current, account: account, origin: RequestOrigin(request, context), wrong: "That is not your current password.")
        {
            (errors["current_password"], status) = refusal
        }
        if let message = PasswordPolicy.check(new, email: EmailAddress(unchecked: account.email)) {
            errors["new_password"] = message.text
        } else if new == current {
            errors["new_password"] = "Choose a password different from the current one."
        }
        guard errors.isEmpty else {
            return try await render(context, errors: FormErrors(password: errors), status: status)
        }

        let now = services.clock.now()
        let origin = RequestOrigin(request, context)
        let replacement = NewSession(
            accountId: context.account.accountId, origin: origin, policy: services.sessionPolicy, now: now)
        try await services.database.changePassword(
            accountId: context.account.accountId, passwordHash: try await services.hasher.hash(new),
            replacement: replacement.record,
            origin: origin, now: now
        )
        var response = Response.redirect(to: SiteURL.account.path)
        response.setCookie(services.cookies.session(replacement.token))
        response.setCookie(services.cookies.flash(.success("Password changed. Other sessions were signed out.")))
        return response
    }

    @Sendable func revokeOtherSessions(_ request: Request, context: ConsoleContext) async throws -> Response {
        let count = try await services.database.signOutOtherSessions(
            accountId: context.account.accountId, keeping: context.account.sessionId, origin: RequestOrigin(request, context),
            now: services.clock.now()
        )
        let message =
            count == 0 ? "There were no other sessions." : "Signed out \(count) other \(count == 1 ? "session" : "sessions")."
        return redirect(flash: .success(message))
    }

    @Sendable func delete(_ request: Request, context: ConsoleContext) async throws -> Response {
        let form = try await request.decode(as: DeleteAccountForm.self, context: context)
        let account = try await currentAccount(context)
        let password = form.password ?? ""
        if password.isEmpty {
            return try await render(
                context, errors: FormErrors(delete: ["password": "Enter your password to confirm."]),
                status: .unprocessableContent
            )
        }
        if let (message, status) = try await passwordRefusal(
            password, account: account, origin: RequestOrigin(request, context), wrong: "That is not your password.")
        {
            return try await render(context, errors: FormErrors(delete: ["password": message]), status: status)
        }
        do {
            try await services.keys.deleteAccount(id: context.account.accountId, origin: RequestOrigin(request, context))
        } catch WorkspaceError.conflict(let message) {
            return try await render(context, errors: FormErrors(delete: ["password": message]), status: .conflict)
        }
        var response = Response.redirect(to: SiteURL.signup.path)
        response.setCookie(services.cookies.expired(CookieNames.session))
        response.setCookie(services.cookies.flash(.info("Your account and all its keys have been deleted.")))
        return response
    }

    /// Checks the password a sensitive change asks for, counting failures per account like sign-in does, so a stolen
    /// session cannot be used to guess the password. nil when it is right.
    private func passwordRefusal(_ password: String, account: AccountRecord, origin: RequestOrigin, wrong: String) async throws
        -> (message: String, status: HTTPResponse.Status)?
    {
        let now = services.clock.now()
        let attempt: SignInThrottle.Attempt
        switch try await services.passwordChecks.admit(account: "account:\(account.id ?? 0)", origin: origin, now: now)
        {
        case .refused(let wait): return (AuthController.throttledMessage(wait), .tooManyRequests)
        case .admitted(let admitted): attempt = admitted
        }
        guard try await services.hasher.verify(password, encoded: account.passwordHash) else {
            return (wrong, .unprocessableContent)
        }
        await services.passwordChecks.succeeded(attempt, now: now)
        return nil
    }

    private func currentAccount(_ context: ConsoleContext) async throws -> AccountRecord {
        guard let account = try await services.database.account(id: context.account.accountId) else { throw SignInRequired() }
        return account
    }

    private func redirect(flash: Flash) -> Response {
        var response = Response.redirect(to: SiteURL.account.path)
        response.setCookie(services.cookies.flash(flash))
        return response
    }

    private func render(_ context: ConsoleContext, errors: FormErrors, status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let now = services.clock.now()
        let account = try await currentAccount(context)
        let sessions = try await services.database.sessions(
            accountId: context.account.accountId, policy: services.sessionPolicy, now: now)
        let activity = try await services.database.auditEntries(accountId: context.account.accountId, limit: 20)
        let counts = try await services.database.keyCounts(projectID: context.project.id, now: now)
        let page = AccountPage(
            layout: Layout("Account", context, section: .account), account: account, selection: context.selection,
            keyCounts: counts, sessions: sessions, currentSessionID: context.account.sessionId, activity: activity,
            passwordErrors: errors.password, deleteErrors: errors.delete, now: now)
        return try services.views.render(page, status: status)
    }
}
