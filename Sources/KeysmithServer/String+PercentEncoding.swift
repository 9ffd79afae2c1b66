import Foundation

extension String {
    /// Encodes a value for a query string, escaping `&`, `=`, `+` and `#` that `.urlQueryAllowed` leaves alone.
    func addingPercentEncodingForQuery() -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?/")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
