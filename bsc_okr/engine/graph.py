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
"""

from collections import deque


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
