/// `/docs/api`: the API reference, built from the OpenAPI document the API serves so the two cannot drift apart.
struct APIDocsPage: PageModel {
    static let template = "docs/api"

    /// A piece of prose: plain text, or a code span written in backticks in the document.
    struct Span: Sendable {
        let text: String
        let isCode: Bool
    }

    /// One paragraph of a description (the document separates them with blank lines).
    struct Paragraph: Sendable {
        let spans: [Span]
    }

    /// A way to authenticate, from `components.securitySchemes`.
    struct Scheme: Sendable {
        let schemeAnchor: String
        let label: String
        let notes: [Paragraph]
    }

    /// One credential an operation accepts, with the permissions an admin key needs for it (empty when none).
    struct Credential: Sendable {
        let schemeAnchor: String
        let label: String
        let scopeNote: String?
    }

    struct Parameter: Sendable {
        let name: String
        let location: String
        let type: String
        let isRequired: Bool
        let notes: [Paragraph]
    }

    struct Example: Sendable {
        let title: String
        let json: String
    }

    struct Response: Sendable {
        let status: String
        let isSuccess: Bool
        let notes: [Paragraph]
        let headerNames: [String]
    }

    struct Operation: Sendable {
        let anchor: String
        let operationId: String
        let method: String
        let path: String
        let summary: String
        let description: [Paragraph]
        /// No credentials at all (verify, health, this document).
        let isPublic: Bool
        let credentials: [Credential]
        let parameters: [Parameter]
        let hasParameters: Bool
        let requestSchema: String?
        let requestExamples: [Example]
        let curlID: String
        let curl: String
        let curlRows: Int
        let responseExample: Example?
        let responses: [Response]
    }

    /// The operations of one tag, in the document's tag order.
    struct Section: Sendable {
        let anchor: String
        let name: String
        let description: [Paragraph]
        let operations: [Operation]
    }

    let layout: Layout
    let title: String
    let version: String
    let introduction: [Paragraph]
    let baseURL: String
    let documentURL: String
    let schemes: [Scheme]
    let sections: [Section]
    let quickStart: QuickStart

    /// The page's first section (`#quick-start`, linked from the empty key list): make a key, then check it the two
    /// ways a service does, with the signed-in user's current project filled in.
    struct QuickStart: Sendable {
        let projectID: String
        /// No project is known (signed out): the commands show an example id to replace.
        let isExampleProject: Bool
        let newKeyURL: String
        let verifyCurl: String
        let authCurl: String

        static let exampleProjectID = "prj_4fQx9Lm2Vb7Nc1Zd"

        init(baseURL: String, projectID: String?) {
            self.projectID = projectID ?? Self.exampleProjectID
            isExampleProject = projectID == nil
            newKeyURL = SiteURL.newKey.path
            verifyCurl = """
                curl -sS -X POST \(baseURL)/api/v1/keys/verify \\
                  -H 'Content-Type: application/json' \\
                  -d '{"project": "\(self.projectID)", "token": "'"$KEYSMITH_TOKEN"'"}'
                """
            authCurl = """
                curl -i "\(baseURL)/api/v1/auth?project=\(self.projectID)" \\
                  -H "x-api-key: $KEYSMITH_TOKEN"
                """
        }
    }
}
