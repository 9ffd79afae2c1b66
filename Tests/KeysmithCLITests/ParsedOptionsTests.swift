import Testing

@testable import keysmith

/// The command line's parser: what it reads, and the one-line errors for what it cannot.
@Suite struct ParsedOptionsTests {
    private let spec = CommandSpec(
        name: "demo", abstract: "A demo.",
        options: [
            .database,
            .value("port", "port", help: "A port."),
            .value("trusted-proxy", "cidr", repeatable: true, help: "Repeatable."),
            .flag("force", help: "A flag."),
        ])

    @Test func readsSpacedAndInlineValuesFlagsAndRepeats() throws {
        let options = try ParsedOptions(
            ["--db", "a.sqlite", "--port=8081", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy=::1", "--force"],
            spec: spec)
        #expect(options.string("db") == "a.sqlite")
        #expect(try options.int("port") == 8081)
        #expect(options.strings("trusted-proxy") == ["10.0.0.0/8", "::1"])
        #expect(options.flag("force"))
    }

    @Test func theLastOfASingleValueWinsAndAbsentOptionsAreNil() throws {
        let options = try ParsedOptions(["--port", "1", "--port", "2"], spec: spec)
        #expect(try options.int("port") == 2)
        #expect(options.string("db") == nil)
        #expect(!options.flag("force"))
        #expect(options.strings("trusted-proxy").isEmpty)
    }

    @Test func anInlineValueMayBeEmptyOrStartWithDashes() throws {
        let options = try ParsedOptions(["--db=", "--trusted-proxy=--odd"], spec: spec)
        #expect(options.string("db") == "")
        #expect(options.strings("trusted-proxy") == ["--odd"])
    }

    @Test(arguments: [
        (["--bogus"], "unknown option '--bogus' for keysmith demo"),
        (["stray"], "unexpected argument 'stray' for keysmith demo"),
        (["--"], "unexpected argument '--' for keysmith demo"),
        (["--port"], "--port needs a value (--port <port>)"),
        (["--port", "--force"], "--port needs a value (--port <port>)"),
        (["--force=yes"], "--force takes no value"),
    ])
    func refusesWhatItCannotRead(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try ParsedOptions(arguments, spec: spec) }
    }

    @Test func aNumberThatIsNotOneIsAUsageError() throws {
        let options = try ParsedOptions(["--port", "80x"], spec: spec)
        #expect(throws: UsageError("--port must be a whole number, not '80x'")) { try options.int("port") }
    }

    @Test func everyCommandsHelpListsEachOfItsOptions() {
        for command in Keysmith.commands {
            let help = HelpText.command(command.spec)
            #expect(help.contains("USAGE: keysmith \(command.spec.name) [options]"))
            for option in command.spec.options { #expect(help.contains("--\(option.name)"), "\(command.spec.name)") }
        }
        let overview = HelpText.overview(Keysmith.commands.map { $0.spec })
        for command in Keysmith.commands { #expect(overview.contains(command.spec.name)) }
    }

    @Test func serveRefusesAPortOutOfRange() {
        #expect(throws: UsageError("--port must be between 1 and 65535")) {
            try Serve(ParsedOptions(["--port", "70000"], spec: Serve.spec))
        }
    }
}
