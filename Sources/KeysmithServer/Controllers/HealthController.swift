import Hummingbird
import KeysmithStore

/// `/healthz` for load balancers and `make run`'s readiness check; `/` sends people where they belong.
struct HealthController {
    let database: AppDatabase

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(SiteURL.health.route) { _, _ in
            try await database.ping()
            return ["status": "ok"]
        }
        router.get(SiteURL.home.route) { _, context in
            Response.redirect(to: context.identity == nil ? SiteURL.login.path : SiteURL.dashboard.path)
        }
    }
}
