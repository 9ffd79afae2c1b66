/// A page's data: stored properties only (Mustache cannot see computed ones), plus the template that renders it.
protocol PageModel: Sendable {
    static var template: String { get }
    var layout: Layout { get }
}
