/// One `<option>`, radio button or checkbox, with its selected state decided in Swift (templates have no logic).
struct FormOption: Sendable {
    let value: String
    let label: String
    let selected: Bool

    static func list(_ choices: [(value: String, label: String)], selected: (String) -> Bool) -> [FormOption] {
        choices.map { FormOption(value: $0.value, label: $0.label, selected: selected($0.value)) }
    }
}
