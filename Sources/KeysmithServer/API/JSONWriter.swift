import Foundation
import KeysmithCore

/// A JSON text built by appending, for the answers the hot path sends thousands of times a second (whoami, verify,
/// the 401s): Foundation's `JSONEncoder` builds a tree, sorts keys and reflects on types, which cost a third of a
/// whoami. Callers write keys in sorted order themselves, so the output is what `JSONEncoder` with `.sortedKeys`
/// and `.withoutEscapingSlashes` gave.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    mutating func object(_ fields: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        fields(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<Element>(_ elements: some Sequence<Element>, _ write: (inout JSONWriter, Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { write(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Starts a member of the current object; the next value written is its value.
    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func integer(_ value: some BinaryInteger) {
        literal(String(value))
    }

    mutating func bool(_ value: Bool) {
        literal(value ? "true" : "false")
    }

    mutating func null() {
        literal("null")
    }

    /// RFC 3339 in whole seconds (`2026-01-31T12:00:00Z`), as `JSONEncoder`'s `.iso8601` writes it.
    mutating func date(_ value: Date) {
        string(RFC3339.string(from: value))
    }

    /// Text that already is JSON, such as a key's stored metadata.
    mutating func raw(_ json: String) {
        literal(json)
    }

    // Members whose value may be absent: written as `null`, never left out, so every answer has the same shape.
    mutating func field(_ name: String, _ value: String?) { key(name); if let value { string(value) } else { null() } }
    mutating func field(_ name: String, _ value: Int?) { key(name); if let value { integer(value) } else { null() } }
    mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
    mutating func field(_ name: String, _ value: Date?) { key(name); if let value { date(value) } else { null() } }
    mutating func field(_ name: String, _ strings: [String]) { key(name); array(strings) { $0.string($1) } }

    private mutating func literal(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}

/// A type the API writes with `JSONWriter` rather than `JSONEncoder`.
protocol JSONWritable: Sendable {
    func write(to json: inout JSONWriter)
}
