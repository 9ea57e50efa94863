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

/// `(background(), foreground())`, the first computed on another thread while the second runs on
/// this one: how `classify` preprocesses the next chunk of pictures while the network reads this one.
func concurrently<Background, Foreground>(
    _ background: () -> Background, _ foreground: () -> Foreground
) -> (Background, Foreground) {
    withoutActuallyEscaping(background) { background in
        nonisolated(unsafe) let background = background
        nonisolated(unsafe) var result: Background?
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { result = background() }
        let foregroundResult = foreground()
        group.wait()  // inside withoutActuallyEscaping: the closure is released before it returns
        return (result ?? background(), foregroundResult)  // (result is always set once the group is done)
    }
}
