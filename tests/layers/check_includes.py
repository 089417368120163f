#!/usr/bin/env python3
"""Each layer includes only itself and the layers below it (docs/architecture.md).

The link check beside this file catches a wrong use that leaves a symbol to resolve;
this catches the rest (a header-only type, a constant), and that every include of a
cogi header names it by its cogi/ path, as an installed cogi offers it (a bare
"framework/app.hpp" could find a user's own file). Usage: check_includes.py ROOT.
"""
import re
import sys
from pathlib import Path

ALLOWED = {
    "server/contract": ["server/contract"],
    "server/async": ["server/async"],
    "server/http": ["server/http", "server/contract", "server/async"],
    "server/runtime": ["server/runtime", "server/http", "server/contract", "server/async"],
    "framework": ["framework", "server/http", "server/contract", "server/async"],
    "middleware": ["middleware", "framework", "server/http", "server/contract", "server/async"],
    # Clients of databases and services stand on the async toolkit alone (and the log).
    "clients/postgres": ["clients/postgres", "server/async", "server/contract/log.hpp",
                         "server/contract/option_setters.hpp"],
    "clients/redis": ["clients/redis", "server/async", "server/contract/log.hpp", "server/contract/option_setters.hpp"],
    "clients/http": ["clients/http", "server/async", "server/contract/function_ref.hpp"],
}


def allows(allowed, path):
    return any(path == a if a.endswith(".hpp") else path.startswith(a + "/") for a in allowed)


def main(root):
    root = Path(root)
    wrong = 0
    for layer, allowed in ALLOWED.items():
        for source in sorted((root / layer).rglob("*")):
            if source.suffix not in (".hpp", ".cpp", ".c"):
                continue
            for number, line in enumerate(source.read_text().splitlines(), 1):
                include = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not include:
                    continue
                path = include.group(1)
                if not path.startswith("cogi/"):
                    print(f"{source.relative_to(root)}:{number}: include {path} by its cogi/ path")
                    wrong += 1
                elif not allows(allowed, path.removeprefix("cogi/")):
                    print(f"{source.relative_to(root)}:{number}: {layer} may not include {path}")
                    wrong += 1
    print(f"{wrong} includes across layers")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
