/// Turns a User-Agent header into "Firefox on Linux", which is all a sessions list needs.
enum UserAgentSummary {
    static func describe(_ userAgent: String?) -> String {
        guard let userAgent, !userAgent.isEmpty else { return "Unknown device" }
        let browser =
            [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl")]
            .first { userAgent.contains($0.0) }?.1
        let system =
            [
                ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            ]
            .first { userAgent.contains($0.0) }?.1
        switch (browser, system) {
        case let (browser?, system?): return "\(browser) on \(system)"
        case let (browser?, nil): return browser
        case let (nil, system?): return "Browser on \(system)"
        case (nil, nil): return String(userAgent.prefix(40))
        }
    }
}
