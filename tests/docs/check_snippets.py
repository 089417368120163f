#!/usr/bin/env python3
"""Every code snippet the documentation shows is compiled and run by a test (issue 12).

Snippets are the ```cpp blocks of README.md, and in the headers under server/,
framework/, middleware/ and clients/ the comment blocks indented by three spaces that follow an
empty comment line ("//" then "//   code"). Each snippet line must appear, as written
(whitespace runs aside), in one of the files that test them: tests/docs/*.cpp, or an
example under examples/ (which the example tests build and run). Lines that begin with
"..." stand for elided code and are skipped, and so are comments.

Usage: check_snippets.py REPOSITORY_ROOT. Prints every snippet line not found; exits 1
if there is one.
"""
import re
import sys
from pathlib import Path


def normalise(line):
    """The code of a line: whitespace runs as one space, a trailing // comment left out."""
    return re.sub(r"\s+", " ", re.sub(r"(^|\s)//.*$", "", line).strip())


def readme_snippets(path):
    snippets, current = [], None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if current is None and line.strip() == "```cpp":
            current = (path, number + 1, [])
        elif current is not None and line.strip() == "```":
            snippets.append(current)
            current = None
        elif current is not None:
            current[2].append(line)
    return snippets


def header_snippets(path):
    snippets, current, previous = [], None, None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        code = re.match(r"^//   (.*\S.*)$", line)
        if code and (current is not None or (previous == "//" and not code.group(1).startswith(" "))):
            if current is None:
                current = (path, number, [])
            current[2].append(code.group(1))
        elif current is not None:
            snippets.append(current)
            current = None
        previous = line.rstrip()
    if current is not None:
        snippets.append(current)
    return snippets


def main(root):
    root = Path(root)
    snippets = readme_snippets(root / "README.md")
    for folder in ("server", "framework", "middleware", "clients"):
        for header in sorted((root / folder).rglob("*.hpp")):
            snippets += header_snippets(header)

    testers = sorted((root / "tests" / "docs").glob("*.cpp")) + sorted((root / "examples").rglob("*.cpp"))
    tested = {tester: {normalise(line) for line in tester.read_text().splitlines()} for tester in testers}

    missing = 0
    for path, first_line, lines in snippets:
        wanted = [normalise(line) for line in lines if normalise(line) and not normalise(line).startswith("...")]
        # The whole snippet in one file: its lines belong together.
        if any(all(line in lines_of for line in wanted) for lines_of in tested.values()):
            continue
        best = max(tested.items(), key=lambda item: sum(line in item[1] for line in wanted))
        for line in wanted:
            if line not in best[1]:
                print(f"{path.relative_to(root)}:{first_line}: not in any snippet test: {line}")
                missing += 1
    print(f"{len(snippets)} snippets, {missing} untested lines")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
