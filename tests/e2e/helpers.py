"""What several browser tests share: the axe-core check and the optional screenshots."""

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

# shared/TESTING.md: WCAG 2.0 A and AA and WCAG 2.1 AA, violations only.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_no_axe_violations(page: Page) -> None:
    result = Axe().run(page, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot when E2E_SCREENSHOT_DIR is set, for a person to look at."""
    folder = os.environ.get("E2E_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, target: Locator, *, limit: int = 150) -> None:
    """Press Tab, as a keyboard user does, until `target` has the focus."""
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never got the focus after {limit} presses of Tab")


def assert_no_sideways_scroll(page: Page) -> None:
    """The page fits its viewport's width (WCAG 1.4.10 Reflow at a phone's 320 px)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"


def assert_unique_ids(page: Page) -> None:
    """No element id twice: a label, or an aria reference, would point at the first one only.
    (axe-core 4.x no longer reports duplicate ids under the WCAG tags.)"""
    duplicates = page.evaluate(
        """() => {
            const seen = new Map();
            for (const element of document.querySelectorAll("[id]")) {
                seen.set(element.id, (seen.get(element.id) || 0) + 1);
            }
            return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
        }"""
    )
    assert not duplicates, f"ids used more than once: {duplicates}"
