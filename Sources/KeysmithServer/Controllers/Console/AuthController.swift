import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore
import Logging

/// Sign-up, login and logout (and `/`, which sends people where they belong): the only console routes open to
/// visitors who are not signed in.
struct AuthController {
    let services: AppServices

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteURL.home.route) { _, context in
            Response.redirect(to: context.identity == nil ? SiteURL.login.path : SiteURL.dashboard.path)
        }
        router.get(SiteURL.signup.route, use: showSignup)
        router.post(SiteURL.signup.route, use: signup)
        router.get(SiteURL.login.route, use: showLogin)
        router.post(SiteURL.login.route, use: login)
        router.post(SiteURL.logout.route, use: logout)
    }

    @Sendable func showSignup(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.identity != nil { return .redirect(to: SiteURL.dashboard.path) }
        let token = request.uri.queryParameters.get("invite") ?? ""
        var page = SignupPage(layout: Layout("Sign up", context, isAuthPage: true), email: "", errors: [:], formError: nil)
        if !token.isEmpty {
            guard let invitation = try await invitation(token) else {
                page.formError = "This invitation has expired or was already used. Ask for a new one."
                page.isClosed = try await isClosed(invited: false)
                return try services.views.render(page, status: .notFound)
            }
            page = SignupPage(
                layout: page.layout, email: invitation.invite.email, errors: [:], formError: nil, invite: token,
                joining: "\(invitation.workspace.name) as \(invitation.invite.role.rawValue)")
        } else {
            page.isClosed = try await isClosed(invited: false)
        }
        return try services.views.render(page)
    }

    /// In `invite` mode, sign-up is closed once someone has signed up, except with an invitation.
    private func isClosed(invited: Bool) async throws -> Bool {
        guard services.signupMode == .invite, !invited else { return false }
        return try await services.database.hasAccounts()
    }

    private func invitation(_ token: String) async throws -> (invite: InviteRecord, workspace: WorkspaceRecord)? {
        guard (1...128).contains(token.utf8.count) else { return nil }
        return try await services.database.invite(tokenHash: RandomToken.hash(token), now: services.clock.now())
    }

    @Sendable func signup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: CredentialsForm.self, context: context)
        let origin = RequestOrigin(request, context)
        let now = services.clock.now()
        let typedEmail = form.email ?? ""
        let inviteToken = form.invite ?? ""
        let invitation = inviteToken.isEmpty ? nil : try await invitation(inviteToken)
        func page(_ errors: [String: String], formError: String? = nil) -> SignupPage {
            SignupPage(
                layout: Layout("Sign up", context, isAuthPage: true), email: typedEmail, errors: errors, formError: formError,
                invite: invitation == nil ? "" : inviteToken,
                joining: invitation.map { "\($0.workspace.name) as \($0.invite.role.rawValue)" })
        }
        func failed(
            _ errors: [String: String], formError: String? = nil, status: HTTPResponse.Status = .unprocessableContent
        ) throws -> Response {
            try services.views.render(page(errors, formError: formError), status: status)
        }

        var errors: [String: String] = [:]
        let email: EmailAddress?
        switch EmailAddress.parse(typedEmail) {
        case .success(let parsed): email = parsed
        case .failure(let message): (email, errors["email"]) = (nil, message.text)
        }
        // Every attempt is reserved before anything else is checked or hashed; only a new account gives it back.
        let attempt: SignInThrottle.Attempt
        switch try await services.signUps.admit(account: email?.value, origin: origin, now: now) {
        case .refused(let wait): return try tooManyAttempts(page([:], formError: Self.throttledMessage(wait)), retryAfter: wait)
        case .admitted(let admitted): attempt = admitted
        }
        if let message = PasswordPolicy.check(form.password ?? "", email: email) { errors["password"] = message.text }
        guard let email, errors.isEmpty else { return try failed(errors) }
        if !inviteToken.isEmpty, invitation == nil {
            return try failed(
                [:], formError: "This invitation has expired or was already used. Ask for a new one.", status: .notFound)
        }
        if let invitation, invitation.invite.email != email.value {
            return try failed(["email": "This invitation is for \(invitation.invite.email). Sign up with that email."])
        }
        if try await isClosed(invited: invitation != nil) {
            return try failed(
                [:],
                formError:
                    "Sign-up on this Keysmith is by invitation. Ask an owner or admin of your team’s workspace to invite you.",
                status: .forbidden)
        }

        let hash = try await services.hasher.hash(form.password ?? "")
        let account: AccountRecord
        do {
            account = try await services.database.createAccount(
                email: email, passwordHash: hash, invite: invitation.map { _ in RandomToken.hash(inviteToken) }, origin: origin,
                now: now)
        } catch AccountError.emailTaken {
            return try failed(["email": "An account with this email already exists. Log in instead."], status: .conflict)
        }
        guard let accountId = account.id else { throw AccountError.notFound }
        await services.signUps.succeeded(attempt, now: now)
        context.logger.info("account created", metadata: ["account.id": "\(accountId)"])
        if let previous = context.identity {
            try await services.database.deleteSession(id: previous.sessionId)
        }
        // Someone who came through an invitation starts in the workspace they joined, not their new personal one.
        return try await startSession(
            accountId: accountId, request: request, context: context,
            flash: .success(
                invitation.map { "Welcome to Keysmith! You joined \($0.workspace.name) as \($0.invite.role.rawValue)." }
                    ?? "Welcome to Keysmith! Your account is ready."),
            destination: SiteURL.dashboard.path, workspace: invitation?.workspace.id
        )
    }

    @Sendable func showLogin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let next = SiteURL.safeReturnPath(request.uri.queryParameters.get("next"))
        if context.identity != nil { return .redirect(to: next ?? SiteURL.dashboard.path) }
        let page = LoginPage(
            layout: Layout("Log in", context, isAuthPage: true), email: "", next: next, errors: [:], formError: nil)
        return try services.views.render(page)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: CredentialsForm.self, context: context)
        let origin = RequestOrigin(request, context)
        let now = services.clock.now()
        let typedEmail = form.email ?? ""
        let next = SiteURL.safeReturnPath(form.next)
        func page(_ formError: String?, errors: [String: String] = [:]) -> LoginPage {
            LoginPage(
                layout: Layout("Log in", context, isAuthPage: true), email: typedEmail, next: next, errors: errors,
                formError: formError)
        }

        let password = form.password ?? ""
        guard case .success(let email) = EmailAddress.parse(typedEmail), !password.isEmpty else {
            var errors: [String: String] = [:]
            if typedEmail.isEmpty { errors["email"] = "Enter your email address." }
            if password.isEmpty { errors["password"] = "Enter your password." }
            if errors.isEmpty { errors["email"] = "Enter an email address like name@example.com." }
            return try services.views.render(page(nil, errors: errors), status: .unprocessableContent)
        }
        // Reserved before the hash, keyed on the parsed email: `ann@example.com\n` is Ann's budget, not a fresh one.
        let attempt: SignInThrottle.Attempt
        switch try await services.signIns.admit(account: email.value, origin: origin, now: now) {
        case .refused(let wait): return try tooManyAttempts(page(Self.throttledMessage(wait)), retryAfter: wait)
        case .admitted(let admitted): attempt = admitted
        }

        let account = try await services.database.account(email: email)
        guard let account, let accountId = account.id, try await services.hasher.verify(password, encoded: account.passwordHash)
        else {
            if account == nil { try await services.hasher.verifyAgainstDummy(password) }
            if let accountId = account?.id {
                try await services.database.recordAudit(accountId: accountId, AuditEvent(.loginFailed), origin: origin, now: now)
            }
            context.logger.notice("login failed", metadata: ["client.ip": "\(origin.ip ?? "unknown")"])
            return try services.views.render(page("Email or password is incorrect."), status: .unauthorized)
        }

        await services.signIns.succeeded(attempt, now: now)
        if services.hasher.needsRehash(account.passwordHash) {
            try await services.database.upgradePasswordHash(
                accountId: accountId, passwordHash: try await services.hasher.hash(password))
        }
        if let previous = context.identity {
            try await services.database.deleteSession(id: previous.sessionId)
        }
        return try await startSession(
            accountId: accountId, request: request, context: context, flash: nil, destination: next ?? SiteURL.dashboard.path
        )
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let account = context.identity {
            try await services.database.signOut(
                sessionId: account.sessionId, accountId: account.accountId, origin: RequestOrigin(request, context),
                now: services.clock.now()
            )
        }
        var response = Response.redirect(to: SiteURL.login.path)
        response.setCookie(services.cookies.expired(CookieNames.session))
        response.setCookie(services.cookies.flash(.info("You have been logged out.")))
        return response
    }

    /// Every sign-in gets a fresh session id (no fixation), set as the cookie on the redirect.
    /// `workspace` is where the console opens (nil: the user's personal workspace).
    private func startSession(
        accountId: Int64, request: Request, context: AppRequestContext, flash: Flash?, destination: String,
        workspace: WorkspaceID? = nil
    ) async throws -> Response {
        let now = services.clock.now()
        let session = NewSession(
            accountId: accountId, origin: RequestOrigin(request, context), policy: services.sessionPolicy, now: now)
        var record = session.record
        record.workspaceId = workspace
        try await services.database.signIn(
            record, policy: services.sessionPolicy, origin: RequestOrigin(request, context), now: now)
        var response = Response.redirect(to: destination)
        response.setCookie(services.cookies.session(session.token))
        if let flash { response.setCookie(services.cookies.flash(flash)) }
        return response
    }

    private func tooManyAttempts(_ page: some PageModel, retryAfter seconds: Int) throws -> Response {
        var response = try services.views.render(page, status: .tooManyRequests)
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    static func throttledMessage(_ seconds: Int) -> String {
        let minutes = (seconds + 59) / 60
        return "Too many attempts. Try again in \(minutes == 1 ? "1 minute" : "\(minutes) minutes")."
    }
}
