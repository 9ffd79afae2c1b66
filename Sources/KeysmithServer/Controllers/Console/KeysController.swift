import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore
import Logging

/// The API-key pages: list, create, detail, edit, activate, rotate, reveal once, disable, enable, end a rotation's
/// grace, delete. Disable, rotate-with-no-grace and delete go through a confirmation page first.
struct KeysController {
    let services: AppServices
    let vault: OneTimeVault<RevealedSecret>

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get("/keys", use: list)
        routes.get("/keys/new", use: new)
        routes.post("/keys", use: create)
        routes.get("/keys/:id", use: show)
        routes.get("/keys/:id/edit", use: edit)
        routes.post("/keys/:id/edit", use: update)
        routes.post("/keys/:id/activate", use: activate)
        routes.post("/keys/:id/rotate", use: rotate)
        routes.get("/keys/:id/reveal/:reveal", use: reveal)
        routes.get("/keys/:id/rotate-now", use: confirmRotateNow)
        routes.post("/keys/:id/end-grace", use: endGrace)
        routes.get("/keys/:id/disable", use: confirmDisable)
        routes.post("/keys/:id/disable", use: disable)
        routes.post("/keys/:id/enable", use: enable)
        routes.get("/keys/:id/delete", use: confirmDelete)
        routes.post("/keys/:id/delete", use: delete)
    }

    // MARK: List

    @Sendable func list(_ request: Request, context: ConsoleContext) async throws -> Response {
        await services.writePendingUsage()  // "last used" and its sort include every use so far
        let parameters = FormFields.query(of: request)
        let query = KeyListQuery(
            search: parameters.get("q"), environment: parameters.get("environment").flatMap(KeyEnvironment.init(rawValue:)),
            status: parameters.get("status").flatMap(KeyStatus.init(rawValue:)),
            sort: parameters.get("sort").flatMap(KeyListQuery.Sort.init(rawValue:)) ?? .created,
            page: parameters.get("page").flatMap { Int($0) } ?? 1
        )
        let now = services.clock.now()
        let page = try await services.database.keys(projectID: context.project.id, matching: query, now: now)
        return try services.views.render(
            KeyListPage(layout: Layout("API Keys", context, section: .keys), page: page, query: query, now: now))
    }

    // MARK: Create

    @Sendable func new(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let page = KeyFormPage(
            layout: Layout("New API key", context, section: .keys), form: KeyForm(), errors: [:], editing: nil,
            scopesInUse: try await services.database.scopesInUse(projectID: context.project.id))
        return try services.views.render(page)
    }

    @Sendable func create(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let form = KeyForm(try await FormFields.read(request, context: context))
        let spec: KeySpec
        // A Result rather than do/catch on the typed throw: Swift 6.3's SIL verifier crashes on that pattern here.
        switch Result(catching: { () throws(KeyError) in try form.validate(now: services.clock.now()) }) {
        case .success(let valid): spec = valid
        case .failure(.invalid(let errors)):
            return try await renderNew(form, errors: errors, context: context, status: .unprocessableContent)
        case .failure(let error): throw error
        }

        let key: APIKey
        let revealed: APIKeyToken?
        do {
            (key, revealed) = try await services.keys.create(
                spec, in: context.project, creatorID: context.account.accountId,
                startingAs: form.initialStatus ?? .active,  // validate refused anything else
                origin: RequestOrigin(request, context))
        } catch KeyError.nameTaken(let name) {
            let errors = ["name": "This project already has a key named “\(name)”. Choose another name."]
            return try await renderNew(form, errors: errors, context: context, status: .conflict)
        }
        context.logger.info("key created", metadata: ["key.id": "\(key.id)"])
        let rewrites = Self.rewriteNote(form)
        if let revealed {
            var response = revealRedirect(for: revealed, context: context, rotated: false, graceNote: nil)
            if let rewrites { response.setCookie(services.cookies.flash(.info(rewrites))) }
            return response
        }
        let message = [Self.createdMessage(key), rewrites].compactMap { $0 }.joined(separator: " ")
        return redirect(to: .key(key.id.value), flash: .success(message))
    }

    private func renderNew(_ form: KeyForm, errors: [String: String], context: ConsoleContext, status: HTTPResponse.Status)
        async throws -> Response
    {
        let page = KeyFormPage(
            layout: Layout("New API key", context, section: .keys), form: form, errors: errors, editing: nil,
            scopesInUse: try await services.database.scopesInUse(projectID: context.project.id))
        return try services.views.render(page, status: status)
    }

    /// What the key's page says after creating it without showing a secret (pending, or custom).
    private static func createdMessage(_ key: APIKey) -> String {
        switch key.status {
        case .active: "Key “\(key.name)” is active. It uses the custom secret you entered; Keysmith cannot show it again."
        case .disabled:
            "Key “\(key.name)” is created disabled, with the custom secret you entered. Enable it when it may be used."
        default: "Key “\(key.name)” created. Activate it to get its secret."
        }
    }

    /// "192.168.178.1/24 was stored as 192.168.178.0/24." when the allowlist was normalised, so the user sees that
    /// the network stored is not quite what they typed; nil when it is.
    static func rewriteNote(_ form: KeyForm) -> String? {
        let rewrites = form.ipRewrites
        guard !rewrites.isEmpty else { return nil }
        return "IP allowlist: " + rewrites.map(\.description).joined(separator: "; ") + "."
    }

    // MARK: Detail and edit

    @Sendable func show(_ request: Request, context: ConsoleContext) async throws -> Response {
        await services.writePendingUsage()
        let key = try await ownedKey(context)
        let now = services.clock.now()
        let usage = try await services.database.dailyUsage(id: key.id.value, days: 30, now: now)
        let places = try await services.database.usagePlaces(id: key.id.value, days: 30, now: now)
        let audit = try await services.database.auditEntries(workspaceID: context.workspace.id, subject: key.id.value)
        let page = KeyDetailPage(
            layout: Layout(key.name, context, section: .keys), key: key, usage: usage, gates: places.gates,
            clients: places.clients, audit: audit, quotaLeft: services.ledger.remaining(ofStored: key),
            canWrite: context.role.allows(.writeKeys), origin: "http://\(request.head.authority ?? "127.0.0.1:8080")", now: now,
            sync: try await services.database.keyChanges?.syncStatus(ofKey: key.id.value))
        return try services.views.render(page)
    }

    @Sendable func edit(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        return try await renderEdit(key, form: KeyForm(key), errors: [:], context: context)
    }

    @Sendable func update(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        var form = KeyForm(try await FormFields.read(request, context: context))
        // Environment, token type and secret are fixed at creation; the edit form does not offer them.
        (form.environment, form.tokenType) = (key.environment.rawValue, key.tokenType.rawValue)
        let now = services.clock.now()
        do {
            let spec = try form.validate(now: now, creating: false)
            _ = try await services.keys.update(
                key, with: spec, keepingExpiry: form.keepsExpiry, origin: RequestOrigin(request, context))
        } catch KeyError.invalid(let errors) {
            return try await renderEdit(key, form: form, errors: errors, context: context, status: .unprocessableContent)
        } catch KeyError.nameTaken(let name) {
            let errors = ["name": "This project already has a key named “\(name)”. Choose another name."]
            return try await renderEdit(key, form: form, errors: errors, context: context, status: .conflict)
        }
        let saved = "Changes to “\(form.name.trimmingCharacters(in: .whitespaces))” saved."
        return redirect(
            to: .key(key.id.value), flash: .success([saved, Self.rewriteNote(form)].compactMap { $0 }.joined(separator: " ")))
    }

    private func renderEdit(
        _ key: APIKey, form: KeyForm, errors: [String: String], context: ConsoleContext, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let kept = key.expiresAt.map { DisplayDate($0, now: services.clock.now()).exact }
        let page = KeyFormPage(
            layout: Layout("Edit \(key.name)", context, section: .keys), form: form, errors: errors, editing: key.id.value,
            scopesInUse: try await services.database.scopesInUse(projectID: key.projectID), keptExpiryLabel: kept
        )
        return try services.views.render(page, status: status)
    }

    // MARK: Lifecycle

    @Sendable func activate(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        return try await transition(key) {
            let (active, token) = try await services.keys.activate(key, origin: RequestOrigin(request, context))
            guard let token else {
                return redirect(
                    to: .key(key.id.value), flash: .success("Key “\(active.name)” is active with your custom secret."))
            }
            return revealRedirect(for: token, context: context, rotated: false, graceNote: nil)
        }
    }

    @Sendable func rotate(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        let fields = try await FormFields.read(request, context: context)
        guard let grace = fields["grace"].flatMap(RotationGrace.init(rawValue:)) else {
            return redirect(to: .key(key.id.value), flash: .error("Choose how long the old secret keeps working."))
        }
        // No grace breaks every caller at once: only from the confirmation page, which says so (a custom secret typed
        // on the detail page is not carried over; the confirmation page asks for it).
        if grace == .immediately, fields["confirm"] != "yes" {
            return .redirect(to: SiteURL.keyAction(key.id.value, .rotateNow).path)
        }
        let now = services.clock.now()
        return try await transition(key) {
            let (_, token) = try await services.keys.rotate(
                key, grace: grace, customSecret: fields["new_secret"], origin: RequestOrigin(request, context)
            )
            let graceNote =
                grace == .immediately
                ? "The old secret stopped working just now."
                : "The old secret keeps working until \(DisplayDate(grace.oldSecretExpiry(rotatedAt: now), now: now).exact)."
            if key.tokenType == .custom {
                return redirect(to: .key(key.id.value), flash: .success("Secret rotated. \(graceNote)"))
            }
            return revealRedirect(for: token, context: context, rotated: true, graceNote: graceNote)
        }
    }

    @Sendable func reveal(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let keyID = try context.parameters.require("id")
        let revealId = try context.parameters.require("reveal")
        let key = try await ownedKey(context)
        guard
            let secret = vault.withdraw(revealId, subject: keyID, sessionId: context.account.sessionId, now: services.clock.now())
        else {
            let gone = RevealGonePage(
                layout: Layout("Secret already shown", context, section: .keys), keyURL: SiteURL.key(keyID).path)
            return try services.views.render(gone, status: .gone)
        }
        let host = request.head.authority ?? "127.0.0.1:8080"
        let page = RevealPage(
            layout: Layout("Your new secret", context, section: .keys), keyName: key.name, revealed: secret,
            baseURL: "http://\(host)")
        return try services.views.render(page)
    }

    @Sendable func confirmRotateNow(_ request: Request, context: ConsoleContext) async throws -> Response {
        try await confirm(.rotateNow, title: "Rotate now", allowedBy: .rotate, context: context)
    }

    @Sendable func confirmDisable(_ request: Request, context: ConsoleContext) async throws -> Response {
        try await confirm(.disable, title: "Disable", allowedBy: .disable, context: context)
    }

    /// A confirmation page, or — when the key's status does not allow the action any more — its page with why.
    private func confirm(_ action: ConfirmKeyActionPage.Action, title: String, allowedBy rule: KeyAction, context: ConsoleContext)
        async throws -> Response
    {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        return try await transition(key) {
            _ = try key.status.applying(rule)
            let page = ConfirmKeyActionPage(
                action, key: key, layout: Layout("\(title) \(key.name)", context, section: .keys), now: services.clock.now())
            return try services.views.render(page)
        }
    }

    @Sendable func endGrace(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        return try await transition(key) {
            _ = try await services.keys.endGrace(key, origin: RequestOrigin(request, context))
            return redirect(
                to: .key(key.id.value),
                flash: .success("The old secret of “\(key.name)” stopped working. Only the current one works now."))
        }
    }

    @Sendable func disable(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        return try await transition(key) {
            _ = try await services.keys.disable(key, origin: RequestOrigin(request, context))
            return redirect(to: .key(key.id.value), flash: .success("Key “\(key.name)” is disabled. Requests using it now fail."))
        }
    }

    @Sendable func enable(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        return try await transition(key) {
            _ = try await services.keys.enable(key, origin: RequestOrigin(request, context))
            return redirect(to: .key(key.id.value), flash: .success("Key “\(key.name)” is active again."))
        }
    }

    @Sendable func confirmDelete(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        let page = DeleteKeyPage(
            layout: Layout("Delete \(key.name)", context, section: .keys), key: KeySummary(key, now: services.clock.now()))
        return try services.views.render(page)
    }

    @Sendable func delete(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.writeKeys)
        let key = try await ownedKey(context)
        try await services.keys.delete(key, origin: RequestOrigin(request, context))
        return redirect(to: .keys, flash: .success("Key “\(key.name)” deleted. Requests using it now fail."))
    }

    // MARK: Helpers

    /// The key named in the URL if it belongs to the current workspace (any of its projects); anything else is a
    /// 404, so ids of other workspaces cannot be told apart from ids that do not exist.
    private func ownedKey(_ context: ConsoleContext) async throws -> APIKey {
        let id = try context.parameters.require("id")
        guard let key = try await services.database.key(id: id, workspaceID: context.workspace.id) else {
            throw KeyError.notFound
        }
        return key
    }

    /// Runs a lifecycle change; a change the key's status does not allow (a double click, a stale page) becomes a
    /// flash message on the key's page instead of an error page.
    private func transition(_ key: APIKey, _ change: () async throws -> Response) async throws -> Response {
        do {
            return try await change()
        } catch KeyError.invalid(let fields) {
            return redirect(to: .key(key.id.value), flash: .error(fields.values.sorted().joined(separator: " ")))
        } catch let error as KeyError where error != .notFound {
            return redirect(to: .key(key.id.value), flash: .error("\(error)."))
        }
    }

    private func revealRedirect(for token: APIKeyToken, context: ConsoleContext, rotated: Bool, graceNote: String?) -> Response {
        let secret = RevealedSecret(
            keyID: token.keyID.value, secret: token.secret, token: token.value, rotated: rotated, graceNote: graceNote
        )
        let revealId = vault.deposit(
            secret, subject: token.keyID.value, sessionId: context.account.sessionId, now: services.clock.now())
        return .redirect(to: SiteURL.keyReveal(token.keyID.value, revealId: revealId).path)
    }

    private func redirect(to url: SiteURL, flash: Flash) -> Response {
        var response = Response.redirect(to: url.path)
        response.setCookie(services.cookies.flash(flash))
        return response
    }
}
