"""Directed graphs: strategy map cause-effect links and OKR alignment.

Both must stay acyclic: a strategy map's cause-effect links point from the
enabling objective to the enabled one (learning & growth -> internal process
-> customer -> financial); OKR alignment links point from a child objective
to its parent(s). Nodes are any hashable ids (record ids in practice); edges
are ``(from, to)`` pairs.

>>> links = [("learn", "process"), ("process", "customer"), ("customer", "cash")]
>>> find_path(links, "learn", "cash")
['learn', 'process', 'customer', 'cash']
>>> would_create_cycle(links, "cash", "learn")
['cash', 'learn', 'process', 'customer', 'cash']
>>> topological_layers(["cash", "learn"], links)
{'learn': 0, 'process': 1, 'customer': 2, 'cash': 3}
"""

from collections import deque

from . import EngineError


class GraphError(EngineError):
    """Invalid graph. Code ``cycle`` (cycle): the nodes of one loop, first
    node repeated at the end."""


def _successors(edges):
    graph = {}
    for source, target in edges:
        graph.setdefault(source, []).append(target)
    return graph


def find_path(edges, start, goal):
    """Shortest path from ``start`` to ``goal`` following edges, or None.

    Breadth-first, so the path has the fewest links; it lists node ids,
    ``start`` first and ``goal`` last (``[start]`` when they are the same).

    >>> find_path([(1, 2), (2, 3), (1, 3)], 1, 3), find_path([(1, 2)], 2, 1)
    ([1, 3], None)
    """
    if start == goal:
        return [start]
    graph = _successors(edges)
    parents = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for following in graph.get(node, ()):
            if following in parents:
                continue
            parents[following] = node
            if following == goal:
                path = [goal]
                while parents[path[-1]] is not None:
                    path.append(parents[path[-1]])
                path.reverse()
                return path
            queue.append(following)
    return None


def would_create_cycle(edges, new_from, new_to):
    """The loop that adding ``new_from -> new_to`` would close, or None.

    The loop is returned as a node list starting and ending at
    ``new_from``: ``[new_from, new_to, ..., new_from]``; a self-link gives
    ``[new_from, new_from]``. Use it to refuse the link and show the loop.

    >>> would_create_cycle([("B", "C"), ("C", "A")], "A", "B")
    ['A', 'B', 'C', 'A']
    >>> would_create_cycle([], "A", "A"), would_create_cycle([("A", "B")], "A", "C")
    (['A', 'A'], None)
    """
    if new_from == new_to:
        return [new_from, new_from]
    path = find_path(edges, new_to, new_from)
    return None if path is None else [new_from, *path]


def _find_cycle(graph, unplaced):
    """One loop among the nodes Kahn's algorithm could not place.

    Each of them still waits on a predecessor that is itself unplaced, so
    walking backwards from any of them must come back to a node already
    seen; that stretch, reversed, is a loop.
    """
    remaining = set(unplaced)
    predecessors = {}
    for source, targets in graph.items():
        if source in remaining:
            for target in targets:
                if target in remaining:
                    predecessors.setdefault(target, source)
    node = unplaced[0]
    seen = {}
    walk = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = predecessors[node]
    loop = walk[seen[node] :]
    loop.reverse()
    return [*loop, loop[0]]


def topological_layers(nodes, edges):
    """Depth of every node: the length of the longest path from a source.

    Sources (no incoming edge) have depth 0; a node is one deeper than its
    deepest predecessor. ``nodes`` lists the nodes to place, including
    isolated ones; nodes that only appear in ``edges`` are placed too. The
    dict is in topological order, ties in the order nodes were first seen,
    which gives the strategy map a stable drawing. Linear in nodes + edges
    (Kahn's algorithm). A loop raises :class:`GraphError` ``cycle``.

    >>> topological_layers("abcd", [("a", "b"), ("b", "c"), ("a", "c")])
    {'a': 0, 'd': 0, 'b': 1, 'c': 2}
    """
    graph = {}
    indegree = {}
    for node in nodes:
        indegree.setdefault(node, 0)
    for source, target in edges:
        indegree.setdefault(source, 0)
        indegree[target] = indegree.get(target, 0) + 1
        graph.setdefault(source, []).append(target)
    depth = {node: 0 for node, count in indegree.items() if not count}
    queue = deque(depth)
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        node_depth = depth[node] + 1
        for following in graph.get(node, ()):
            if depth.get(following, -1) < node_depth:
                depth[following] = node_depth
            indegree[following] -= 1
            if not indegree[following]:
                queue.append(following)
    if len(order) < len(indegree):
        unplaced = [node for node, count in indegree.items() if count]
        raise GraphError("cycle", cycle=_find_cycle(graph, unplaced))
    return {node: depth[node] for node in order}
