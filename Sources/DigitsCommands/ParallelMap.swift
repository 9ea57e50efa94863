import Foundation

/// `items.map(transform)` with the items spread over the machine's cores (`concurrentPerform`).
/// The results come back in the items' order, and each is computed from its item alone, so the
/// output is the same as a sequential map's whatever the number of cores.
func parallelMap<Item, Result>(_ items: [Item], _ transform: (Item) -> Result) -> [Result] {
    guard items.count > 1 else { return items.map(transform) }
    var results = [Result?](repeating: nil, count: items.count)
    results.withUnsafeMutableBufferPointer { results in
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let slots = results
        nonisolated(unsafe) let items = items  // read only
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: items.count) { index in
                slots[index] = transform(items[index])
            }
        }
    }
    return results.map { $0! }
}
