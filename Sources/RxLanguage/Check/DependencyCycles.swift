/// Finds cycles among named definitions that refer to each other.
public enum DependencyCycles {
    /// Every elementary cycle reachable in `edges`, each reported once as the path
    /// `[a, b, a]` starting at its first node in `order`.
    ///
    /// Uses an iterative depth-first search (no recursion, so deep chains of definitions cannot
    /// overflow the stack); a back edge to a node on the current path closes a cycle.
    public static func find(order: [String], edges: [String: [String]]) -> [[String]] {
        enum Mark { case onPath, done }
        var marks: [String: Mark] = [:]
        var cycles: [[String]] = []
        var reported = Set<[String]>()
        for root in order where marks[root] == nil {
            var path: [String] = [root]
            var stack: [(node: String, next: Int)] = [(root, 0)]
            marks[root] = .onPath
            while let top = stack.last {
                let targets = edges[top.node] ?? []
                if top.next >= targets.count {
                    marks[top.node] = .done
                    stack.removeLast()
                    path.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let target = targets[top.next]
                switch marks[target] {
                case .onPath:
                    if let start = path.firstIndex(of: target) {
                        let cycle = Array(path[start...]) + [target]
                        let key = Set(cycle).sorted()
                        if reported.insert(key).inserted { cycles.append(cycle) }
                    }
                case .done:
                    continue
                case nil:
                    guard edges[target] != nil else { continue }
                    marks[target] = .onPath
                    path.append(target)
                    stack.append((target, 0))
                }
            }
        }
        return cycles
    }
}
