"""The navigation bar in the browser. For every role, in German, at a laptop's 1280 px, at
1200 px (the narrowest window with the full bar), at 1024 px (the burger) and at a phone's
390 px: the page does not scroll sideways, with every menu open too,
and every entry of the role's navigation can be reached (visible inside the window once its
menus are open). The menus open from the keyboard and without JavaScript, and axe-core finds
the page clean with them open.

The menus are <details> elements: Playwright gives a <summary> no role, so a menu's button is
found by its text, as a person reads it.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.e2e.helpers import assert_no_axe_violations, is_focused, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LogIn = Callable[[Page, User], None]

LAPTOP, NARROWEST_WIDE, NARROW_LAPTOP, PHONE = 1280, 1200, 1024, 390

SIGNED_IN = ("home", "notifications", "my_reminders", "mfa_index", "account_change_password")
CENTER_STAFF = (
    *SIGNED_IN,
    "triage",
    "company_list",
    "partner_list",
    "follow_up_list",
    "figures_statistics",
)
# What each role's navigation links to: the URL names, the brand's link home included.
LINKS = {
    "anonymous": ("home", "intake", "account_signup", "account_login"),
    "lotse": CENTER_STAFF,
    "head": (
        *CENTER_STAFF,
        "audit_trail",
        "retention",
        "processing_register",
        "user_list",
        "admin:index",
    ),
    "partner_user": (*SIGNED_IN, "partner_referrals"),
    "company_user": (*SIGNED_IN, "company_introductions"),
    "pending_company_user": SIGNED_IN,
}


def de(message: str) -> str:
    """What the German page shows for one of the portal's messages."""
    with translation.override("de"):
        return translation.gettext(message)


def navigation(page: Page) -> Locator:
    return page.get_by_role("navigation", name=de("Main navigation"))


def menu_button(page: Page, name: str) -> Locator:
    """A menu's <summary>, by the text it shows (or, for the burger, says to screen readers)."""
    return navigation(page).locator("summary").filter(has_text=name)


def burger(page: Page) -> Locator:
    return menu_button(page, de("Toggle navigation"))


def dropdown_names(persona: str, user: User | None) -> list[str]:
    """The role's dropdown menus: the head's data protection pages, everyone's own pages."""
    names = [de("Data protection")] if persona == "head" else []
    return [*names, user.full_name] if user else names


def window_width(page: Page) -> int:
    return int(page.evaluate("() => window.innerWidth"))


def assert_fits_the_window(page: Page, what: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= window_width(page), f"{what}: the page is {width} px wide"


def visible_links(page: Page) -> set[str]:
    """The navigation's links a person can see now, each checked to lie inside the window."""
    hrefs = set()
    for link in navigation(page).get_by_role("link").all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        assert box["x"] >= 0, f"{link} starts left of the window"
        assert box["x"] + box["width"] <= window_width(page), f"{link} ends right of the window"
        hrefs.add(str(link.get_attribute("href")))
    return hrefs


def reach_every_link(page: Page, persona: str, user: User | None) -> set[str]:
    """Open the burger (where there is one) and each dropdown in turn, as a person clicking
    through the bar does; return every link seen. The page must fit the window throughout."""
    what = f"{persona} at {window_width(page)} px"
    if burger(page).is_visible():
        burger(page).click()
        assert_fits_the_window(page, f"{what}, menu open")
    reached = visible_links(page)
    for name in dropdown_names(persona, user):
        menu_button(page, name).click()
        assert_fits_the_window(page, f"{what}, {name} open")
        reached |= visible_links(page)
    return reached


@pytest.mark.parametrize("persona", list(LINKS))
def test_the_bar_fits_the_window_and_every_entry_can_be_reached(
    page: Page,
    live_server: LiveServer,
    log_in: LogIn,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if user:
        log_in(page, user)
    expected = {reverse(name) for name in LINKS[persona]}

    for width in (LAPTOP, NARROWEST_WIDE, NARROW_LAPTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + reverse("home"))
        expect(page.locator("html")).to_have_attribute("lang", "de")
        assert_fits_the_window(page, f"{persona} at {width} px")
        # The burger only where the bar cannot show its entries (below 1200 px).
        expect(burger(page)).to_be_visible(visible=width < NARROWEST_WIDE)
        # No menu button beyond the burger and the role's dropdowns.
        expect(navigation(page).locator("summary")).to_have_count(
            1 + len(dropdown_names(persona, user))
        )
        assert reach_every_link(page, persona, user) == expected, f"{persona} at {width} px"
        if user:
            expect(
                navigation(page).get_by_role("button", name=de("Log out"), exact=True)
            ).to_be_visible()
        screenshot(page, f"navigation-{persona}-{width}")


@pytest.mark.browser_context_args(locale="en-GB")
def test_the_heads_bar_fits_in_english_too(
    page: Page, live_server: LiveServer, log_in: LogIn, head: User
) -> None:
    log_in(page, head)
    with translation.override("en"):
        data_protection = translation.gettext("Data protection")
    for width in (LAPTOP, NARROWEST_WIDE, NARROW_LAPTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + reverse("home"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert_fits_the_window(page, f"English at {width} px")
        menu_buttons = page.get_by_role("navigation").locator("summary")
        if width < NARROWEST_WIDE:
            menu_buttons.first.click()
        menu_buttons.filter(has_text=data_protection).click()
        assert_fits_the_window(page, f"English at {width} px, data protection open")
        expect(page.get_by_role("link", name="Audit trail", exact=True)).to_be_visible()
        menu_buttons.filter(has_text=head.full_name).click()
        assert_fits_the_window(page, f"English at {width} px, own menu open")
        expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()


def assert_focus_is_visible(locator: Locator) -> None:
    assert is_focused(locator)
    assert locator.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"


def test_the_heads_menus_open_and_close_with_the_keyboard(
    page: Page, live_server: LiveServer, log_in: LogIn, head: User
) -> None:
    log_in(page, head)
    audit_trail = page.get_by_role("link", name=de("Audit trail"), exact=True)
    my_reminders = page.get_by_role("link", name=de("My reminders"), exact=True)

    # Wide: Enter opens the data protection menu, Tab goes into it, Escape closes it.
    data_protection = menu_button(page, de("Data protection"))
    tab_to(page, data_protection)
    assert_focus_is_visible(data_protection)
    expect(audit_trail).to_be_hidden()
    page.keyboard.press("Enter")
    expect(audit_trail).to_be_visible()
    page.keyboard.press("Tab")
    assert is_focused(audit_trail)
    page.keyboard.press("Escape")
    expect(audit_trail).to_be_hidden()
    assert is_focused(data_protection)
    # The arrow keys open it too and step through its entries.
    page.keyboard.press("ArrowDown")
    assert is_focused(audit_trail)
    page.keyboard.press("ArrowUp")
    assert is_focused(page.get_by_role("link", name=de("Users and two-factor login")))
    page.keyboard.press("Escape")

    # Space opens the person's own menu; the focus moving on closes it.
    own_menu = menu_button(page, head.full_name)
    tab_to(page, own_menu)
    assert_focus_is_visible(own_menu)
    page.keyboard.press(" ")
    expect(my_reminders).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(my_reminders).to_be_hidden()

    # Phone: the burger opens with Enter; Escape closes the innermost open menu first.
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(live_server.url + reverse("home"))
    figures = page.get_by_role("link", name=de("Figures"), exact=True)
    expect(figures).to_be_hidden()
    tab_to(page, burger(page))
    assert_focus_is_visible(burger(page))
    page.keyboard.press("Enter")
    expect(figures).to_be_visible()
    data_protection = menu_button(page, de("Data protection"))
    tab_to(page, data_protection)
    page.keyboard.press("Enter")
    expect(audit_trail).to_be_visible()
    page.keyboard.press("Escape")
    expect(audit_trail).to_be_hidden()
    expect(figures).to_be_visible()
    page.keyboard.press("Escape")
    expect(figures).to_be_hidden()
    assert is_focused(burger(page))

    # And a keyboard user follows an entry.
    page.keyboard.press("Enter")
    tab_to(page, figures)
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + reverse("figures_statistics"))


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_the_menus_work_without_javascript(
    page: Page, live_server: LiveServer, log_in: LogIn, head: User
) -> None:
    log_in(page, head)

    # Wide: the bar shows its entries; the data protection menu opens on a click.
    page.set_viewport_size({"width": LAPTOP, "height": 800})
    page.goto(live_server.url + reverse("home"))
    expect(burger(page)).to_be_hidden()
    menu_button(page, de("Data protection")).click()
    audit_trail = page.get_by_role("link", name=de("Audit trail"), exact=True)
    expect(audit_trail).to_be_visible()
    # portal.js really is off: with it, Escape would close the menu.
    page.keyboard.press("Escape")
    expect(audit_trail).to_be_visible()
    audit_trail.click()
    expect(page).to_have_url(live_server.url + reverse("audit_trail"))

    # Phone: the burger, then the person's own menu, then logging out (a form in the menu).
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(live_server.url + reverse("home"))
    expect(page.get_by_role("link", name=de("Figures"), exact=True)).to_be_hidden()
    burger(page).click()
    expect(page.get_by_role("link", name=de("Figures"), exact=True)).to_be_visible()
    menu_button(page, head.full_name).click()
    page.get_by_role("button", name=de("Log out"), exact=True).click()
    expect(page).to_have_url(live_server.url + reverse("home"))
    burger(page).click()
    expect(navigation(page).get_by_role("link", name=de("Log in"), exact=True)).to_be_visible()


def test_the_open_menus_have_no_accessibility_violations(
    page: Page, log_in: LogIn, head: User
) -> None:
    log_in(page, head)
    menu_button(page, de("Data protection")).click()
    expect(page.get_by_role("link", name=de("Audit trail"), exact=True)).to_be_visible()
    screenshot(page, "navigation-head-data-protection-open")
    assert_no_axe_violations(page)

    page.set_viewport_size({"width": PHONE, "height": 800})
    burger(page).click()
    menu_button(page, head.full_name).click()
    expect(page.get_by_role("link", name=de("My reminders"), exact=True)).to_be_visible()
    screenshot(page, "navigation-head-phone-open")
    assert_no_axe_violations(page)
