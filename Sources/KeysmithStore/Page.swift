/// One page of a newest-first list, with the total so the console can say "page 2 of 7".
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var totalCount: Int
    public var number: Int
    public var size: Int

    public init(items: [Item], totalCount: Int, number: Int, size: Int) {
        self.items = items
        self.totalCount = totalCount
        self.number = number
        self.size = size
    }

    public var pageCount: Int { max(1, (totalCount + size - 1) / size) }
    public var hasPrevious: Bool { number > 1 }
    public var hasNext: Bool { number < pageCount }
}
