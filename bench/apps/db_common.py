"""What the three Python database peers share: the TechEmpower rules they follow, the
fortunes template, and their cache. Each app is written the way its community writes
its TechEmpower entry (bench/README.md, "The database suite")."""
import os
import random
from collections import OrderedDict

import jinja2

DATABASE_URL = os.environ["DATABASE_URL"]
POOL_SIZE = int(os.environ.get("POOL_SIZE", "8"))
WORLD_BY_ID = "SELECT id, randomnumber FROM world WHERE id = $1"
ALL_FORTUNES = "SELECT id, message FROM fortune"

FORTUNES = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
    "<tr><th>id</th><th>message</th></tr>"
    "{% for id, message in fortunes %}<tr><td>{{ id }}</td><td>{{ message }}</td></tr>{% endfor %}"
    "</table></body></html>")


def count(value):
    """queries/count: clamped to 1..500; missing, 0, empty or not a number give 1."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(500, n))


def random_id():
    return random.randint(1, 10000)


def render_fortunes(rows):
    fortunes = [tuple(row) for row in rows]
    fortunes.append((0, "Additional fortune added at request time."))
    fortunes.sort(key=lambda f: f[1])
    return FORTUNES.render(fortunes=fortunes)


class LruCache:
    """The read-through cache of World rows, bounded, least recently used out first."""

    def __init__(self, capacity=10000):
        self.capacity = capacity
        self.rows = OrderedDict()

    def get(self, key):
        value = self.rows.get(key)
        if value is not None:
            self.rows.move_to_end(key)
        return value

    def put(self, key, value):
        self.rows[key] = value
        self.rows.move_to_end(key)
        if len(self.rows) > self.capacity:
            self.rows.popitem(last=False)
