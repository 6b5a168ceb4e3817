import doctest
import itertools
import random
import time

from odoo.tests import BaseCase, tagged

from ..engine import graph

# A strategy map, cause -> effect, bottom-up.
STRATEGY_LINKS = [
    ("skills", "quality"),
    ("skills", "innovation"),
    ("quality", "satisfaction"),
    ("innovation", "new_products"),
    ("new_products", "revenue"),
    ("satisfaction", "revenue"),
    ("quality", "cost"),
]


@tagged("post_install", "-at_install")
class TestEngineGraph(BaseCase):
    """Strategy map links and OKR alignment: paths and cycles."""

    def test_doctests(self):
        result = doctest.testmod(graph)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    # ------------------------------------------------------------------
    def test_find_path(self):
        path = graph.find_path(STRATEGY_LINKS, "skills", "revenue")
        self.assertEqual(path[0], "skills")
        self.assertEqual(path[-1], "revenue")
        self.assertEqual(len(path), 4)  # the shortest: 3 links
        for link in itertools.pairwise(path):
            self.assertIn(link, STRATEGY_LINKS)
        self.assertEqual(
            graph.find_path(STRATEGY_LINKS, "quality", "cost"), ["quality", "cost"]
        )

    def test_find_path_shortest(self):
        edges = [(1, 2), (2, 3), (3, 4), (1, 4)]
        self.assertEqual(graph.find_path(edges, 1, 4), [1, 4])

    def test_find_path_none(self):
        # Links are directed: effects do not lead back to causes.
        self.assertIsNone(graph.find_path(STRATEGY_LINKS, "revenue", "skills"))
        self.assertIsNone(graph.find_path(STRATEGY_LINKS, "cost", "revenue"))
        self.assertIsNone(graph.find_path(STRATEGY_LINKS, "unknown", "revenue"))
        self.assertIsNone(graph.find_path([], 1, 2))

    def test_find_path_same_node(self):
        self.assertEqual(graph.find_path([], "a", "a"), ["a"])
        self.assertEqual(graph.find_path(STRATEGY_LINKS, "cost", "cost"), ["cost"])

    def test_find_path_accepts_iterators(self):
        edges = iter([(1, 2), (2, 3)])
        self.assertEqual(graph.find_path(edges, 1, 3), [1, 2, 3])

    # ------------------------------------------------------------------
    def test_would_create_cycle(self):
        cycle = graph.would_create_cycle(STRATEGY_LINKS, "revenue", "skills")
        self.assertEqual(cycle[0], "revenue")
        self.assertEqual(cycle[-1], "revenue")
        self.assertEqual(cycle[1], "skills")
        for link in itertools.pairwise(cycle[1:]):
            self.assertIn(link, STRATEGY_LINKS)
        self.assertEqual(
            graph.would_create_cycle([("B", "C"), ("C", "A")], "A", "B"),
            ["A", "B", "C", "A"],
        )
        self.assertEqual(
            graph.would_create_cycle([("B", "A")], "A", "B"), ["A", "B", "A"]
        )

    def test_would_create_cycle_safe(self):
        self.assertIsNone(graph.would_create_cycle(STRATEGY_LINKS, "skills", "cost"))
        self.assertIsNone(graph.would_create_cycle(STRATEGY_LINKS, "cost", "new"))
        # A duplicate of an existing link closes no loop.
        self.assertIsNone(graph.would_create_cycle(STRATEGY_LINKS, "skills", "quality"))
        self.assertIsNone(graph.would_create_cycle([], 1, 2))

    def test_would_create_cycle_self_link(self):
        self.assertEqual(graph.would_create_cycle([], "A", "A"), ["A", "A"])
        self.assertEqual(graph.would_create_cycle(STRATEGY_LINKS, 7, 7), [7, 7])

    def test_okr_alignment_loop(self):
        """Alignment links go child -> parent; a parent may not align below."""
        alignment = [
            (201, 101),  # team objective -> company objective
            (202, 101),
            (301, 201),  # personal -> team
            (301, 202),  # more than one parent
        ]
        # The company objective aligned under a personal one: a loop.
        self.assertEqual(
            graph.would_create_cycle(alignment, 101, 301), [101, 301, 201, 101]
        )
        self.assertEqual(graph.would_create_cycle(alignment, 201, 301), [201, 301, 201])
        # A personal objective aligned straight to the company one, or a team
        # objective aligned to its sibling, closes no loop.
        self.assertIsNone(graph.would_create_cycle(alignment, 301, 101))
        self.assertIsNone(graph.would_create_cycle(alignment, 202, 201))

    def test_would_create_cycle_speed(self):
        """A loop through 1,000 nodes and 3,000 links is found in linear time."""
        rng = random.Random(42)
        size = 1000
        edges = set()
        while len(edges) < 3000:
            a, b = sorted(rng.sample(range(size), 2))
            edges.add((a, b))
        # A chain through every node makes the loop as long as it can be.
        edges.update((i, i + 1) for i in range(size - 1))
        edges = sorted(edges)
        started = time.process_time()
        cycle = graph.would_create_cycle(edges, size - 1, 0)
        elapsed = time.process_time() - started
        self.assertEqual(cycle[0], size - 1)
        self.assertEqual(cycle[-1], size - 1)
        self.assertLess(elapsed, 0.5)
