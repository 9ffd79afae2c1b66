/// Names of workspaces, projects and admin keys: 1–100 characters after trimming, no control characters.
public enum WorkspaceName {
    public static let maxLength = 100

    public static func parse(_ text: String, what: String = "a name") -> Result<String, FieldMessage> {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return .failure(FieldMessage("Enter \(what).")) }
        guard trimmed.unicodeScalars.count <= maxLength else {
            return .failure(FieldMessage("Use at most \(maxLength) characters."))
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return .failure("Remove line breaks and control characters.")
        }
        return .success(trimmed)
    }

    /// The workspace every user gets at sign-up: "ann's workspace" for ann@example.com.
    public static func personal(email: String) -> String {
        let local = email.prefix { $0 != "@" }
        return "\(local.isEmpty ? "My" : "\(local)'s") workspace"
    }
}

/// A project's editable fields, validated: name, key prefix and description.
public struct ProjectSpec: Hashable, Sendable {
    public let name: String
    public let keyPrefix: KeyPrefix
    public let description: String

    public static let maxDescriptionLength = 500

    public init(unchecked name: String, keyPrefix: KeyPrefix, description: String) {
        self.name = name
        self.keyPrefix = keyPrefix
        self.description = description
    }

    /// Every problem by field (`name`, `keyPrefix`, `description`); a missing prefix is `ks`.
    public static func validate(name: String, keyPrefix: String?, description: String?) throws(WorkspaceError) -> ProjectSpec {
        var problems: [String: String] = [:]
        var validName = ""
        switch WorkspaceName.parse(name, what: "a project name") {
        case .success(let parsed): validName = parsed
        case .failure(let message): problems["name"] = message.text
        }
        var prefix = KeyPrefix.default
        if let keyPrefix, !keyPrefix.trimmingWhitespace().isEmpty {
            switch KeyPrefix.parse(keyPrefix) {
            case .success(let parsed): prefix = parsed
            case .failure(let message): problems["keyPrefix"] = message.text
            }
        }
        let description = (description ?? "").trimmingWhitespace()
        if description.unicodeScalars.count > maxDescriptionLength {
            problems["description"] = "Use at most \(maxDescriptionLength) characters."
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        return ProjectSpec(unchecked: validName, keyPrefix: prefix, description: description)
    }
}
