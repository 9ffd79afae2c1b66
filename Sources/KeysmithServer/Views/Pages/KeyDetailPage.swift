/// `/keys/{id}`: every field, the usage chart, the key's audit trail and its actions.
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

    let layout: Layout
    let key: KeySummary
    let allScopes: [String]
    let ownerType: String
    let tokenType: String
    let isCustom: Bool
    let updated: DisplayDate
    let activated: DisplayDate?
    let previousSecretUntil: DisplayDate?
    let ipAllowlist: [String]
    let rateLimit: String?
    let quota: String?
    let headers: [HeaderLine]
    let meta: String?
    let chart: UsageChart
    let audit: [AuditLine]
    let canActivate: Bool
    let canRotate: Bool
    let canDisable: Bool
    let canEnable: Bool
    let graceOptions: [FormOption]
}
