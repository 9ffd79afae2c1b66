import Foundation
import KeysmithCore
import KeysmithStore

/// One audit entry in the API.
struct AuditEntryResource: Encodable, Sendable {
    let id: Int64
    let action: String
    let summary: String
    let subject: String?
    let detail: String?
    let ip: String?
    let userAgent: String?
    let createdAt: Date

    init(_ entry: AuditEntryRecord) {
        id = entry.id ?? 0
        action = entry.action
        summary = entry.auditAction?.summary ?? entry.action
        subject = entry.subject
        detail = entry.detail
        ip = entry.ip
        userAgent = entry.userAgent
        createdAt = entry.createdAt
    }

    enum CodingKeys: String, CodingKey { case id, action, summary, subject, detail, ip, userAgent, createdAt }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(action, forKey: .action)
        try container.encode(summary, forKey: .summary)
        try container.encode(subject, forKey: .subject)
        try container.encode(detail, forKey: .detail)
        try container.encode(ip, forKey: .ip)
        try container.encode(userAgent, forKey: .userAgent)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
