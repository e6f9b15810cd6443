"""Debian's wapiti 3.0.4 with its --exclude working (run with /usr/bin/python3, wapiti's own).

It compiles each exclusion as `pattern + r"\\Z(?ms)"`, which Python 3.11 refuses ("global flags
not at the start of the expression"): any -x makes it crash. Same translation, flags first.
"""

import re
import sys
from importlib.metadata import distribution

from wapitiCore.net import crawler


def wildcard_translate(pattern: str) -> re.Pattern[str]:
    return re.compile(
        "(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\Z"
    )


crawler.wildcard_translate = wildcard_translate

if __name__ == "__main__":
    scripts = distribution("wapiti3").entry_points
    main = next(e for e in scripts if e.group == "console_scripts" and e.name == "wapiti").load()
    sys.argv[0] = "wapiti"
    sys.exit(main())
