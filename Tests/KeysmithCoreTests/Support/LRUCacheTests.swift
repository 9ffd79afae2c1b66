import KeysmithCore
import Testing

struct LRUCacheTests {
    @Test func theLeastRecentlyUsedEntryIsEvictedFirst() {
        var cache = LRUCache<String, Int>(capacity: 2)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        _ = cache.value(forKey: "a")

        let evicted = cache.setValue(3, forKey: "c")

        #expect(evicted?.key == "b")
        #expect(cache.peek("a") == 1)
        #expect(cache.peek("b") == nil)
        #expect(cache.count == 2)
    }

    @Test func peekDoesNotCountAsUse() {
        var cache = LRUCache<String, Int>(capacity: 2)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        _ = cache.peek("a")

        cache.setValue(3, forKey: "c")

        #expect(cache.peek("a") == nil)
    }

    @Test func updateChangesInPlaceAndRemoveFreesTheSlot() {
        var cache = LRUCache<String, [Int]>(capacity: 3)
        cache.setValue([1], forKey: "a")

        let updated = cache.update("a") { $0.append(2) }
        let updatedMissing = cache.update("missing") { $0.append(2) }
        let removed = cache.removeValue(forKey: "a")

        #expect(updated && !updatedMissing)
        #expect(removed == [1, 2])
        #expect(cache.count == 0)
        cache.setValue([3], forKey: "b")
        #expect(cache.peek("b") == [3])
    }

    @Test func removeAllWhereKeepsTheRestInOrder() {
        var cache = LRUCache<Int, Int>(capacity: 4)
        for number in 1...4 { cache.setValue(number, forKey: number) }

        cache.removeAll { _, value in value.isMultiple(of: 2) }
        cache.setValue(5, forKey: 5)
        cache.setValue(6, forKey: 6)
        let evicted = cache.setValue(7, forKey: 7)

        #expect(evicted?.key == 1)
        #expect(cache.count == 4)
    }

    @Test func thousandsOfEntriesThroughASmallCacheKeepTheNewest() {
        var cache = LRUCache<Int, Int>(capacity: 100)
        for number in 0..<10_000 { cache.setValue(number, forKey: number) }

        #expect(cache.count == 100)
        #expect((9_900..<10_000).allSatisfy { cache.peek($0) == $0 })
        #expect(cache.peek(9_899) == nil)
    }
}

struct BloomFilterTests {
    @Test func everyInsertedItemIsFound() {
        var filter = BloomFilter(capacity: 20_000)
        let ids = (0..<20_000).map { "ks_live_\($0)" }
        for id in ids { filter.insert(id) }

        #expect(ids.allSatisfy(filter.mightContain))
        #expect(filter.count == 20_000)
        #expect(!filter.isOverCapacity)
    }

    @Test func itemsNeverInsertedAreAlmostAlwaysRefused() {
        var filter = BloomFilter(capacity: 20_000)
        for number in 0..<20_000 { filter.insert("ks_live_\(number)") }

        let falsePositives = (0..<100_000).filter { filter.mightContain("ks_live_other_\($0)") }.count

        // Sized for 1 in 100,000: a handful at most, where 1 % would be a thousand.
        #expect(falsePositives < 10)
    }

    @Test func pastItsCapacityTheFilterSaysSo() {
        var filter = BloomFilter(capacity: 1)
        for number in 0...filter.capacity { filter.insert("\(number)") }

        #expect(filter.isOverCapacity)
    }
}
