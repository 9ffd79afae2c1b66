import Foundation
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// The audit log's page model, filter and CSV, without HTTP: actors, objects, change summaries, filter parsing.
@Suite struct AuditPageTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let workspace = (id: "ws_0123456789abcdef", name: "Acme")

    static func entry(
        _ action: AuditAction, subject: String? = nil, detail: String? = nil, actor: AuditActor = .system,
        userAgent: String? = "Python-urllib/3.11"
    ) -> AuditEntryRecord {
        AuditEntryRecord(
            accountId: 1, workspaceId: WorkspaceID(unchecked: workspace.id),
            event: AuditEvent(action, subject: subject, detail: detail),
            origin: RequestOrigin(ip: "192.0.2.7", userAgent: userAgent, actor: actor), now: now)
    }

    static func row(_ entry: AuditEntryRecord, _ subjects: AuditSubjects = AuditSubjects()) -> AuditPage.Row {
        AuditPage.row(entry, subjects: subjects, workspace: workspace, now: now)
    }

    // MARK: Actor

    @Test func theActorIsTheMemberTheAdminKeyOrTheSystemNeverTheUserAgent() {
        let member = Self.row(Self.entry(.keyCreated, actor: .user(id: 7, email: "ann@example.com")))
        let adminKey = Self.row(
            Self.entry(.keyCreated, actor: .adminKey(id: "ksa_live_AAAA", name: "Deploy pipeline")),
            AuditSubjects(adminKeys: ["ksa_live_AAAA": "Deploy pipeline"]))
        let goneAdminKey = Self.row(Self.entry(.keyCreated, actor: .adminKey(id: "ksa_live_BBBB", name: "Old CI")))
        let system = Self.row(Self.entry(.keyDisabled))

        #expect(member.actor == AuditPage.Link(label: "ann@example.com", url: nil, note: nil))
        #expect(adminKey.actor == AuditPage.Link(label: "Deploy pipeline", url: "/admin-keys", note: "admin key"))
        #expect(goneAdminKey.actor == AuditPage.Link(label: "Old CI", url: nil, note: "deleted admin key"))
        #expect(system.actor.label == "System")
        for row in [member, adminKey, goneAdminKey, system] {
            #expect(row.actor.label != "Python-urllib/3.11")
            #expect(row.device == "Python-urllib/3.11")  // still there, as secondary detail
        }
    }

    // MARK: Object

    @Test func anExistingKeyLinksToItsPageAndADeletedOneIsPlainTextWithItsName() {
        let subjects = AuditSubjects(keys: ["ks_live_AAAA": "Billing"], deletedKeys: ["ks_live_GONE": "Old staging key"])

        let live = Self.row(Self.entry(.keyCreated, subject: "ks_live_AAAA", detail: "Billing"), subjects)
        let gone = Self.row(Self.entry(.keyCreated, subject: "ks_live_GONE", detail: "Old staging key"), subjects)
        let unknown = Self.row(Self.entry(.keyRotated, subject: "ks_live_LOST", detail: "grace 1 hour"), subjects)

        #expect(live.object == AuditPage.Link(label: "Billing", url: "/keys/ks_live_AAAA", note: "ks_live_AAAA"))
        #expect(live.change == nil, "the detail only repeats the key's name")
        #expect(gone.object == AuditPage.Link(label: "Old staging key", url: nil, note: "ks_live_GONE · deleted"))
        #expect(unknown.object == AuditPage.Link(label: "ks_live_LOST", url: nil, note: "deleted"))
        #expect(unknown.change == "grace 1 hour")
    }

    @Test func anEditShowsWhatChanged() {
        let row = Self.row(
            Self.entry(.keyUpdated, subject: "ks_live_AAAA", detail: "name: a → b; rate limit: none → 600/min"),
            AuditSubjects(keys: ["ks_live_AAAA": "b"]))

        #expect(row.event == "API key edited")
        #expect(row.change == "name: a → b; rate limit: none → 600/min")
    }

    @Test func projectsMembersAndTheWorkspaceAreNamed() {
        let project = Self.row(
            Self.entry(.projectUpdated, subject: "prj_AAAAAAAAAAAAAAAA", detail: "prefix ks → acme"),
            AuditSubjects(projects: ["prj_AAAAAAAAAAAAAAAA": "Default"]))
        let member = Self.row(Self.entry(.memberRoleChanged, subject: "7", detail: "bob@example.com: viewer → admin"))
        let workspace = Self.row(Self.entry(.workspaceRenamed, subject: Self.workspace.id, detail: "Old → Acme"))

        #expect(project.object == AuditPage.Link(label: "Default", url: "/projects/prj_AAAAAAAAAAAAAAAA", note: nil))
        #expect(project.change == "prefix ks → acme")
        #expect(member.object?.label == "bob@example.com")
        #expect(member.change == "viewer → admin")
        #expect(workspace.object == AuditPage.Link(label: "Acme", url: "/workspace", note: nil))
    }

    // MARK: Filter

    @Test func theFilterMakesAQueryAndKeepsItselfInLinks() throws {
        let filter = AuditFilter(key: " ks_live_AAAA ", event: "key", from: "2026-01-01", to: "2026-01-31", page: 3)

        let query = try #require(filter.query)

        #expect(filter.errors.isEmpty)
        #expect(query.subject == "ks_live_AAAA")
        #expect(Set(query.actions ?? []) == Set(AuditAction.allCases.filter { $0.rawValue.hasPrefix("key.") }.map(\.rawValue)))
        #expect(query.since == Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z
        #expect(query.until == Date(timeIntervalSince1970: 1_769_904_000))  // 2026-02-01T00:00:00Z: the 31st included
        #expect(query.page == 3)
        #expect(filter.url(page: 2) == "/audit?key=ks_live_AAAA&event=key&from=2026-01-01&to=2026-01-31&page=2")
        #expect(filter.url(page: 1) == "/audit?key=ks_live_AAAA&event=key&from=2026-01-01&to=2026-01-31")
        #expect(filter.csvURL == "/audit.csv?key=ks_live_AAAA&event=key&from=2026-01-01&to=2026-01-31")
        #expect(AuditFilter().url(page: 1) == "/audit")
    }

    @Test func oneExactEventIsOneAction() throws {
        let query = try #require(AuditFilter(event: "key.updated").query)

        #expect(query.actions == ["key.updated"])
        #expect(query.subject == nil && query.since == nil && query.until == nil)
    }

    @Test(arguments: [
        (["event": "login.failed"], "event"),  // an account event is not in a workspace's log
        (["event": "bogus"], "event"),
        (["from": "2026-02-30"], "from"),
        (["to": "31/01/2026"], "to"),
        (["from": "2026-02-01", "to": "2026-01-01"], "to"),
        (["key": "ks live"], "key"),
    ])
    func unusableFiltersSayWhichFieldToFixAndQueryNothing(fields: [String: String], field: String) {
        let filter = AuditFilter(
            key: fields["key"] ?? "", event: fields["event"] ?? "", from: fields["from"] ?? "", to: fields["to"] ?? "")

        #expect(filter.query == nil)
        #expect(Array(filter.errors.keys) == [field])
    }

    @Test func thePageListsErrorsInFormOrderAndOffersEveryWorkspaceEvent() {
        let filter = AuditFilter(key: "a b", event: "bogus", from: "x", to: "y")
        let page = AuditPage(
            layout: Layout(title: "Audit log", csrfToken: "t", email: "ann@example.com", flash: nil), filter: filter, page: nil,
            subjects: AuditSubjects(), workspace: Self.workspace, keyChoices: [], now: Self.now)

        #expect(page.errorList.map(\.id) == ["filter-key", "filter-event", "filter-from", "filter-to"])
        #expect(!page.hasRows)
        let values = page.events.flatMap { [$0.value] + $0.options.map(\.value) }
        #expect(values.contains("key") && values.contains("key.updated") && values.contains("member.joined"))
        #expect(!values.contains("login.failed"))
    }

    // MARK: CSV

    @Test func csvCellsAreQuotedAndDefused() {
        #expect(AuditCSV.cell("plain") == "plain")
        #expect(AuditCSV.cell("a,b") == "\"a,b\"")
        #expect(AuditCSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AuditCSV.cell("two\r\nlines") == "\"two\r\nlines\"")
        #expect(AuditCSV.cell("=HYPERLINK(\"http://evil\")") == "\"'=HYPERLINK(\"\"http://evil\"\")\"")
        #expect(AuditCSV.cell("+1") == "'+1")
        #expect(AuditCSV.cell("-2") == "'-2")
        #expect(AuditCSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(AuditCSV.cell("\tx") == "'\tx")
    }

    @Test func csvHasAHeaderAndOneLinePerEntry() {
        let entries = [
            Self.entry(
                .keyCreated, subject: "ks_live_AAAA", detail: "=cmd|' /C calc'!A0", actor: .user(id: 1, email: "ann@example.com")),
            Self.entry(.keyDisabled, subject: "ks_live_AAAA"),
        ]

        let csv = AuditCSV.document(
            entries, subjects: AuditSubjects(keys: ["ks_live_AAAA": "Billing"]), workspace: Self.workspace)
        let lines = csv.components(separatedBy: "\r\n")

        #expect(lines[0] == "time,event,action,actor_type,actor,actor_id,object_id,object,detail,ip,user_agent")
        #expect(
            lines[1]
                == "2026-05-28T20:26:40Z,API key created,key.created,user,ann@example.com,1,ks_live_AAAA,Billing,'=cmd|' /C calc'!A0,192.0.2.7,Python-urllib/3.11"
        )
        #expect(lines[2].hasPrefix("2026-05-28T20:26:40Z,API key disabled,key.disabled,system,System,,ks_live_AAAA,Billing,"))
        #expect(lines.count == 4 && lines[3].isEmpty)
    }
}
