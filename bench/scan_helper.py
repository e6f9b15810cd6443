"""Helpers of bench/scan.sh (standard library only, so that it runs before and without Django):

scan_helper.py free-port
scan_helper.py login URL EMAIL PASSWORD WAPITI_COOKIE_FILE   -> prints "sessionid=..; csrftoken=.."
scan_helper.py intake-data                                  -> a valid intake, urlencoded
scan_helper.py summary REPORT_DIR   -> prints the findings; exit 1 on a high wapiti finding,
                                       a 500 or an injection found by sqlmap
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import socket
import sys
import urllib.parse
import urllib.request
from pathlib import Path

# wapiti's levels (wapitiCore/language/vulnerability.py): 1 low, 2 medium, 3 high, 4 critical.
HIGH = 3
SQLMAP_FOUND = re.compile(r"identified the following injection point|parameter '.*' is vulnerable")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def login(base: str, email: str, password: str, cookie_file: str) -> str:
    """Log in through the real form (CSRF token and all) and keep the cookies: for wapiti as its
    JSON cookie file, for sqlmap as a Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = f"{base}/accounts/login/"
    page = opener.open(login_url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("login page without a CSRF token")
    form = {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
    request = urllib.request.Request(
        login_url, data=urllib.parse.urlencode(form).encode(), headers={"Referer": login_url}
    )
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"login as {email} failed")
    home = opener.open(f"{base}/cases/?owner=me&status=open")
    if home.status != 200 or "/accounts/login/" in home.url:
        raise SystemExit(f"logged in as {email}, but the case list is not reachable")
    host = urllib.parse.urlsplit(base).hostname or "127.0.0.1"
    attributes = {"expires": None, "secure": False, "port": None, "version": 0}
    wapiti = {
        host: {"/": {name: {"value": value, **attributes} for name, value in cookies.items()}}
    }
    Path(cookie_file).write_text(json.dumps(wapiti, indent=2))
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def intake_data() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.migrants.intake_data import valid_intake  # imports Django, needs no settings

    data = {key: value for key, value in valid_intake().items() if isinstance(value, str)}
    data["website"] = ""  # the honeypot stays empty, or the intake stores nothing
    data["csrfmiddlewaretoken"] = "-"  # sqlmap's --csrf-token puts a fresh one here
    return urllib.parse.urlencode(data)


def _wapiti_findings(report: Path) -> tuple[list[str], list[str]]:
    """(every finding as a line, the lines of the high ones)."""
    data = json.loads(report.read_text())
    lines, high = [], []
    for section in ("vulnerabilities", "anomalies"):
        for category, items in data.get(section, {}).items():
            for item in items:
                level = int(item.get("level") or 0)
                line = (
                    f"{report.stem}: [{section[:-1]} level {level}] {category}: "
                    f"{item['method']} {item['path']} {item.get('parameter', '')} "
                    f"- {item.get('info', '')[:160]}"
                )
                lines.append(line)
                # A 500 is a bug whatever its level: the portal must never answer with one.
                if level >= HIGH or category == "Internal Server Error":
                    high.append(line)
    return lines, high


def _server_errors(access_log: Path) -> list[str]:
    """The requests gunicorn answered with 500 ('... "GET /x HTTP/1.1" 500 123 ...')."""
    if not access_log.exists():
        return []
    pattern = re.compile(r'"([A-Z]+ [^"]*)" 500 ')
    return [m.group(1)[:200] for m in map(pattern.search, access_log.open()) if m]


# (method, path prefix) of what sqlmap attacks: its verdict counts only if its requests got past
# the CSRF check and the login to the view.
SQLMAP_TARGETS = {
    # The intake answers a stored form with 302, a refused one with 400.
    "sqlmap-intake.log": ("POST", "/intake/", {"200", "302", "400"}),
    # Logged out, the list would redirect (302) to the login: only 200 and 400 are the view's.
    "sqlmap-search.log": ("GET", "/cases/?", {"200", "400"}),
}
MIN_REACHED = 50


def _reached_view(access_log: Path, method: str, prefix: str, statuses: set[str]) -> int:
    """Requests answered by the view itself, not refused by the CSRF check (403) or the login."""
    if not access_log.exists():
        return 0
    pattern = re.compile(rf'"{method} {re.escape(prefix)}[^"]*" (\d{{3}}) ')
    return sum(1 for line in access_log.open() if (m := pattern.search(line)) and m[1] in statuses)


def summary(report_dir: str) -> int:
    directory = Path(report_dir)
    failures: list[str] = []
    print(f"== Security scan: reports in {directory}/")
    for report in sorted(directory.glob("wapiti-*.json")):
        lines, high = _wapiti_findings(report)
        print(f"-- {report.name}: {len(lines)} finding(s), {len(high)} high or 500")
        for line in lines:
            print(f"   {line}")
        failures += high
    for log in sorted(directory.glob("sqlmap-*.log")):
        text = log.read_text(errors="replace")
        found = bool(SQLMAP_FOUND.search(text))
        # sqlmap's last word when it tested every parameter (a run cut short never says it).
        tested = "all tested parameters do not appear to be injectable" in text
        verdict = "INJECTION FOUND" if found else ("no injection" if tested else "UNCLEAR")
        reached = _reached_view(directory / "access.log", *SQLMAP_TARGETS[log.name])
        print(f"-- {log.name}: {verdict} ({reached} requests reached the view)")
        if found or not tested:
            failures.append(f"{log.name}: {verdict}")
        if reached < MIN_REACHED:
            failures.append(f"{log.name}: only {reached} requests got past CSRF and login")
    errors = _server_errors(directory / "access.log")
    print(f"-- access.log: {len(errors)} request(s) answered with 500")
    for line in errors[:20]:
        print(f"   {line}")
    failures += [f"500: {line}" for line in errors]
    for name in ("wapiti-anonymous.json", "wapiti-lotse.json"):
        if not (directory / name).exists():
            failures.append(f"{name} missing: wapiti did not finish")
    if failures:
        print("== FAILED:", *failures, sep="\n   ")
        return 1
    print("== No high-severity finding, no 500, no injection.")
    return 0


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "free-port":
        print(free_port())
    elif command == "login":
        print(login(*args))
    elif command == "intake-data":
        print(intake_data())
    elif command == "summary":
        return summary(*args)
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
