/// Frequent passwords of 12+ characters from public breach lists; the policy rejects them outright.
enum CommonPasswords {
    static func contains(_ lowercased: String) -> Bool { list.contains(lowercased) }

    private static let list: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "123456789123", "1234567891011",
        "111111111111", "000000000000", "123123123123", "121212121212", "147258369147",
        "password1234", "password12345", "password123456", "passwordpassword", "password123!",
        "qwertyuiop12", "qwertyuiopasdf", "qwertyuiopas", "qwerty123456", "qwertyqwerty",
        "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl123", "asdfasdfasdf",
        "iloveyou1234", "letmein12345", "welcome12345", "welcome123456", "changeme1234",
        "administrator", "admin1234567", "adminadmin123", "abcdefghijkl", "abcd1234abcd",
        "abc123abc123", "monkey123456", "dragon123456", "football1234", "baseball1234",
        "superman1234", "princess1234", "sunshine1234", "trustno1trustno1", "starwars1234",
        "passw0rd1234", "p@ssw0rd1234", "p@ssword1234", "correcthorsebatterystaple", "00000000000000",
        "aaaaaaaaaaaa", "myspace12345", "computer1234", "whatever1234", "internet1234",
        "keysmith1234", "apikey123456", "secret123456", "mypassword123", "mypassword12",
    ]
}
