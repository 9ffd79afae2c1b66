import Foundation
import KeysmithCore
import KeysmithStore

/// `/keys/{id}`: banners for a key that needs attention, every field, the usage chart, where the key was used, its
/// audit trail, its actions, and — last — the danger zone.
struct KeyDetailPage: PageModel {
    static let template = "keys/show"

    struct HeaderLine: Sendable {
        let name: String
        let value: String
        let exclude: Bool
    }

    struct AuditLine: Sendable {
        let action: String
        let detail: String?
        let ip: String
        let at: DisplayDate
    }

    /// The URLs of the page's buttons and links, from `SiteURL`.
    struct Links: Sendable {
        let edit: String
        let activate: String
        let enable: String
        let confirmDisable: String
        let rotate: String
        let endGrace: String
        let confirmDelete: String
    }

    let layout: Layout
    let key: KeySummary
    let links: Links
    let allScopes: [String]
    let ownerType: String
    let tokenType: String
    let isCustom: Bool
    let updated: DisplayDate
    let activated: DisplayDate?
    /// When the last rotated-out secret stops working, while one still does: the mid-rotation banner.
    let previousSecretUntil: DisplayDate?
    let isDisabled: Bool
    let isPending: Bool
    let isExpired: Bool
    let ipAllowlist: [String]
    let rateLimit: String?
    let quota: String?
    let headers: [HeaderLine]
    let meta: String?
    let chart: UsageChart
    /// The command to try the key with, shown instead of an empty chart.
    let tryCommand: String
    let places: KeyUsagePlaces
    let audit: [AuditLine]
    let canWrite: Bool
    let canActivate: Bool
    let canRotate: Bool
    let canDisable: Bool
    let canEnable: Bool
    let canEndGrace: Bool
    let graceOptions: [FormOption]
    /// With several nodes: whether the key's last change has reached all of them (nil with one node).
    let sync: String?
    let isSynced: Bool

    /// - Parameters:
    ///   - quotaLeft: what this node's quota ledger says is left, when it knows better than the stored balance.
    ///   - origin: the server's public origin for the curl line, such as `http://127.0.0.1:8080`.
    init(
        layout: Layout, key: APIKey, usage: [DailyUsage], gates: [GateUsage], clients: [ClientUsage],
        audit: [AuditEntryRecord], quotaLeft: Int?, canWrite: Bool, origin: String, now: Date,
        sync syncStatus: KeySyncStatus? = nil
    ) {
        let effective = key.effectiveStatus(now: now)
        let id = key.id.value
        self.layout = layout
        self.key = KeySummary(key, now: now, scopeLimit: .max)
        links = Links(
            edit: SiteURL.keyEdit(id).path, activate: SiteURL.keyAction(id, .activate).path,
            enable: SiteURL.keyAction(id, .enable).path, confirmDisable: SiteURL.keyAction(id, .disable).path,
            rotate: SiteURL.keyAction(id, .rotate).path, endGrace: SiteURL.keyAction(id, .endGrace).path,
            confirmDelete: SiteURL.keyDelete(id).path)
        allScopes = key.scopes.scopes.map(\.value)
        ownerType = key.ownerType.rawValue.capitalized
        tokenType = key.tokenType == .custom ? "Custom secret" : "Generated"
        isCustom = key.tokenType == .custom
        updated = DisplayDate(key.updatedAt, now: now)
        activated = key.activatedAt.map { DisplayDate($0, now: now) }
        let graceEnds = key.secrets.graceEnds(after: now)
        previousSecretUntil = graceEnds.map { DisplayDate($0, now: now) }
        isDisabled = effective == .disabled
        isPending = effective == .pending
        isExpired = effective == .expired
        ipAllowlist = key.ipAllowlist.entries
        rateLimit = key.rateLimit.map { "\($0.limit.grouped) requests per \($0.window.rawValue)" }
        quota = key.quota.map { quota in
            "\((quotaLeft ?? quota.remaining).grouped) of \(quota.remaining.grouped) remaining"
                + (quota.refill == .monthly ? ", refilled monthly" : "")
        }
        headers = key.responseHeaders.map { HeaderLine(name: $0.name, value: $0.value, exclude: $0.exclude) }
        meta = key.meta.object.isEmpty ? nil : key.meta.json
        chart = UsageChart(usage)
        tryCommand = "curl -H \"Authorization: Bearer $KEYSMITH_TOKEN\" \(origin)\(Self.whoamiPath)"
        places = KeyUsagePlaces(gates: gates, clients: clients, now: now)
        self.audit = audit.map {
            AuditLine(
                action: $0.auditAction?.summary ?? $0.action, detail: $0.detail, ip: $0.ip ?? "—",
                at: DisplayDate($0.createdAt, now: now))
        }
        self.canWrite = canWrite
        canActivate = canWrite && effective == .pending
        canRotate = canWrite && (effective == .active || effective == .disabled)
        canDisable = canWrite && effective == .active
        canEnable = canWrite && effective == .disabled
        canEndGrace = canWrite && graceEnds != nil
        graceOptions = FormOption.list(RotationGrace.allCases.map { ($0.rawValue, $0.oldSecretLabel) }) {
            $0 == RotationGrace.oneHour.rawValue
        }
        sync = syncStatus.map(Self.syncLine)
        isSynced = syncStatus?.hasReachedEveryNode ?? true
    }

    /// "Reached all 3 nodes", or "Not yet on 1 of 3 nodes".
    static func syncLine(_ status: KeySyncStatus) -> String {
        let nodes = status.liveNodes == 1 ? "1 node" : "\(status.liveNodes.grouped) nodes"
        if status.hasReachedEveryNode {
            return status.liveNodes == 1 ? "Reached the only live node" : "Reached all \(nodes)"
        }
        return "Not yet on \(status.nodesBehind.grouped) of \(nodes)"
    }

    static let whoamiPath = "/api/v1/whoami"
}
