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

/// `(background(), foreground())`, the first computed on a thread of its own while the second runs
/// on this one: how `classify` prepares pictures while the weights load, and the next chunk while the
/// network reads this one. `background` escapes (the thread holds it until the thread object goes,
/// which may be after this returns), so it captures only what it needs by value.
func concurrently<Background, Foreground>(
    _ background: @escaping () -> Background, _ foreground: () -> Foreground
) -> (Background, Foreground) {
    nonisolated(unsafe) let background = background
    nonisolated(unsafe) var result: Background?
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        result = background()
        done.signal()
    }
    thread.stackSize = 8 << 20  // as the main thread's: the work is the same as on it
    thread.start()
    let foregroundResult = foreground()
    done.wait()  // result is written before the signal, read after it
    return (result ?? background(), foregroundResult)  // (result is always set once the thread is done)
}
