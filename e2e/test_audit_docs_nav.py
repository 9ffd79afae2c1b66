"""The audit log's filters and export, the header's account menu and the API docs, in a real browser — the menu and
the filters without JavaScript, since neither needs it."""
import urllib.parse
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (click_and_wait, create_key, fill, h1, open_account_menu, path_of, press, select, sign_up,
                      key_id_from_url)


def test_account_menu_works_without_javascript(browser_nojs, base_url):
    d = browser_nojs
    email = sign_up(d, base_url)
    nav = d.find_element(By.CSS_SELECTOR, "nav.site-nav")
    top = [a.text for a in nav.find_elements(By.XPATH, "./a")]
    assert top == ["API Keys", "Audit log", "Docs"], top
    summary = nav.find_element(By.CSS_SELECTOR, "details.account-menu > summary")
    assert email in summary.get_attribute("textContent")

    menu = open_account_menu(d)
    items = [a.text for a in menu.find_elements(By.CSS_SELECTOR, "a")]
    assert items[:4] == ["Account", "Workspace settings", "Projects", "Members"], items
    click_and_wait(d, menu.find_element(By.LINK_TEXT, "Account"))
    assert h1(d) == "Account"
    press(d, "Sign out", open_account_menu(d))
    assert path_of(d) == "/login"


def test_docs_are_linked_have_contents_and_keyboard_scrollable_code(browser, base_url):
    d = browser
    sign_up(d, base_url)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "nav.site-nav").find_element(By.LINK_TEXT, "Docs"))
    assert path_of(d) == "/docs/api"

    targets = [a.get_attribute("href").split("#", 1)[1] for a in d.find_elements(By.CSS_SELECTOR, ".docs-toc a")]
    assert targets[:3] == ["quick-start", "overview", "authentication"], targets
    missing = [t for t in targets if not d.find_elements(By.ID, t)]
    assert not missing, missing
    # The quick start names the signed-in user's own project.
    quick = d.find_element(By.ID, "quick-start").text
    assert "prj_4fQx9Lm2Vb7Nc1Zd" not in quick and "/api/v1/keys/verify" in quick and "$KEYSMITH_TOKEN" in quick

    blocks = d.find_elements(By.CSS_SELECTOR, "pre.code-block")
    assert blocks and all(b.get_attribute("tabindex") == "0" and b.get_attribute("aria-label") for b in blocks)
    # A block taller than its box scrolls with the arrow keys once focused, as axe's rule asks.
    tall = d.execute_script("""return [...document.querySelectorAll('pre.code-block')]
                                 .find(p => p.scrollHeight > p.clientHeight + 1) || null""")
    assert tall is not None, "expected a long example"
    d.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", tall)
    assert d.switch_to.active_element == tall
    ActionChains(d).send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.PAGE_DOWN).perform()
    WebDriverWait(d, 5).until(lambda _: d.execute_script("return arguments[0].scrollTop", tall) > 0)

    # Wide screens keep the contents in view while reading.
    d.execute_script("document.getElementById('tag-Members').scrollIntoView()")
    assert d.execute_script("return getComputedStyle(document.querySelector('.docs-toc')).position") == "sticky"
    assert d.execute_script("return document.querySelector('.docs-toc').getBoundingClientRect().top") >= 0


def test_audit_filters_without_javascript_and_export(browser_nojs, base_url):
    d = browser_nojs
    sign_up(d, base_url)
    create_key(d, base_url, "Billing")
    click_and_wait(d, d.find_element(By.PARTIAL_LINK_TEXT, "go to the key"))
    billing = key_id_from_url(d)
    create_key(d, base_url, "Reports")

    d.get(base_url + "/audit")
    fill(d, "filter-key", billing)
    select(d, "filter-event", "key.created")
    press(d, "Filter")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(d.current_url).query)
    assert query == {"key": [billing], "event": ["key.created"]}, query
    rows = d.find_elements(By.CSS_SELECTOR, ".audit-table tbody tr")
    assert len(rows) == 1 and "Billing" in rows[0].text and "API key created" in rows[0].text
    assert "1 entry matches these filters" in d.find_element(By.TAG_NAME, "main").text

    export = d.find_element(By.PARTIAL_LINK_TEXT, "Export CSV").get_attribute("href")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(export, headers={"Cookie": cookie}), timeout=10) as response:
        assert response.headers["Content-Disposition"].startswith("attachment;")
        lines = response.read().decode().strip().split("\r\n")
    assert lines[0].startswith("time,event,action,")
    assert len(lines) == 2 and billing in lines[1] and ",key.created," in lines[1], lines

    # A date that is no date (typed into the URL): the summary says so, links to the field and has the focus.
    d.get(base_url + "/audit?from=2026-02-30")
    summary = d.find_element(By.ID, "filter-errors")
    assert d.switch_to.active_element == summary
    assert summary.find_element(By.TAG_NAME, "a").get_attribute("href").endswith("#filter-from")
    assert not d.find_elements(By.CSS_SELECTOR, ".audit-table")
