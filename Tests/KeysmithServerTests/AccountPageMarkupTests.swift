import Foundation
import HummingbirdTesting
import KeysmithServer
import Testing

/// What the account page shows around the forms: key counts as a plain row of links, each landmark named once.
@Suite struct AccountPageMarkupTests {
    @Test func keyCountsListOnlyStatusesThatHoldKeysAndLandmarksAreUnique() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            _ = try await api.createKey(["name": "one", "environment": "live"])
            _ = try await api.createKey(["name": "two", "environment": "live", "activate": false])

            let page = try await browser.get("/account")

            #expect(page.text.contains(#"<ul class="cluster key-counts" aria-label="Keys by status">"#))
            #expect(page.text.contains(#"<a href="/keys?status=active">Active <strong>1</strong></a>"#))
            #expect(page.text.contains(#"<a href="/keys?status=pending">Pending <strong>1</strong></a>"#))
            #expect(!page.text.contains("status=disabled"), "a status without keys is not listed")
            #expect(page.text.contains("2 keys in this project."))
            // Each region's name once: the cards are named by their headings, the scrolling tables differently.
            let labels = page.text.components(separatedBy: #"aria-label=""#).dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(Set(labels).count == labels.count, "\(labels)")
            #expect(!labels.contains("Active sessions") && !labels.contains("Recent sign-in activity"))
        }
    }

    @Test func anAccountWithoutKeysLinksToTheQuickStart() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let page = try await browser.get("/account")

            #expect(page.text.contains(#"<a href="/docs/api#quick-start">quick start</a>"#))
            #expect(!page.text.contains("key-counts"))
        }
    }
}
