"""The main journey: sign up, create a key with every field, reveal, use, list/search, edit, rotate, disable, enable,
delete."""
import json

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (check, create_key, click_and_wait, fill, flash, h1, key_id_from_url, path_of, press, reveal_token, select,
                      set_value, sign_up, whoami)


def test_full_key_journey(browser, base_url):
    d = browser
    sign_up(d, base_url)

    # Empty state; the heading names the current project (a new account's personal workspace has "Default").
    assert h1(d) == "API Keys in Default"
    first = d.find_element(By.LINK_TEXT, "Create your first key")
    click_and_wait(d, first)
    assert path_of(d) == "/keys/new"

    # Every field filled.
    fill(d, "name", "Billing service")
    fill(d, "description", "Charges customers every night")
    check(d, "environment", "live")
    select(d, "owner_type", "service")
    fill(d, "extra_scopes", "reports:read orders:read invoices:*")
    fill(d, "ip_allowlist", "127.0.0.1\n10.0.0.0/8\n::1")
    select(d, "expiry", "date")
    set_value(d, "expires_on", "2099-12-31")
    fill(d, "rate_limit", "1000")
    select(d, "rate_limit_window", "minute")
    fill(d, "quota", "5000")
    check(d, "quota_refill", "monthly")
    fill(d, "header_name_0", "X-Customer-Id")
    fill(d, "header_value_0", "${key.id}")
    fill(d, "header_name_1", "X-Debug")
    fill(d, "header_value_1", "yes")
    check(d, "header_exclude", "1")
    fill(d, "meta", json.dumps({"team": "billing"}))
    check(d, "token_type", "generated")
    assert d.find_element(By.ID, "status-active").is_selected(), "a new key starts active by default"
    press(d, "Create key")

    # Reveal page: the token, once.
    token = reveal_token(d)
    reveal_url = d.current_url
    assert token.startswith("ks_") or len(token) > 20, token
    key_id = d.find_element(By.ID, "key-id").get_attribute("value")
    assert key_id and key_id in token
    assert d.find_element(By.ID, "secret-value").get_attribute("value")
    assert "only time you will see" in d.page_source
    # Copy puts it on the clipboard or at least selects it.
    d.execute_cdp_cmd("Browser.grantPermissions", {"origin": base_url, "permissions": ["clipboardReadWrite",
                                                                                         "clipboardSanitizedWrite"]})
    copy = d.find_element(By.CSS_SELECTOR, "button[data-copy='token']")
    copy.click()
    WebDriverWait(d, 5).until(lambda _: copy.text != "Copy")
    selected = d.execute_script(
        "const el = document.getElementById('token');"
        "return document.activeElement === el ? el.value.substring(el.selectionStart, el.selectionEnd) : '';")
    clipboard = None
    if copy.text == "Copied":
        clipboard = d.execute_async_script(
            "const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(null));")
    assert clipboard == token or selected == token, f"copy did nothing useful: button={copy.text!r}"

    # The token works.
    assert whoami(base_url, token) == 200

    # Reloading the reveal page does not show it again.
    d.get(reveal_url)
    assert h1(d) == "This secret was already shown"
    assert token not in d.page_source
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Go to the key"))
    assert key_id_from_url(d) == key_id
    detail_url = d.current_url
    assert "Billing service" in h1(d) and "Active" in h1(d)
    text = d.find_element(By.TAG_NAME, "main").text
    for expected in ("10.0.0.0/8", "X-Customer-Id", "orders:read", "reports:read", "billing", "1,000"):
        assert expected in text, f"{expected!r} missing from the key page"
    hint = d.find_element(By.XPATH, "//dt[.='Hint']/following-sibling::dd[1]").text
    assert hint

    # List shows the whole key id and the hint's secret tail; search finds it (and filters other text out).
    d.get(base_url + "/keys")
    table = d.find_element(By.CSS_SELECTOR, ".table-wrap table")
    assert "Billing service" in table.text and key_id in table.text and hint[hint.index("…"):] in table.text
    fill(d, "q", "nightly-nothing-matches")
    press(d, "Apply")
    assert "No keys match" in d.page_source
    fill(d, "q", "Charges")
    press(d, "Apply")
    assert "Billing service" in d.find_element(By.CSS_SELECTOR, ".table-wrap").text
    fill(d, "q", hint[:10])
    press(d, "Apply")
    assert "Billing service" in d.find_element(By.CSS_SELECTOR, ".table-wrap").text
    assert d.find_element(By.ID, "q").get_attribute("value") == hint[:10], "the search box keeps the query"

    # Edit scopes.
    d.get(detail_url + "/edit")
    assert h1(d) == "Edit API key"
    assert d.find_element(By.ID, "name").get_attribute("value") == "Billing service"
    # The grid holds what is read or read+write; a write without read stays free text.
    assert d.find_element(By.ID, "scope.orders-read").is_selected()
    check(d, "scope.reports", "write")
    check(d, "scope.orders", "none")
    fill(d, "extra_scopes", "orders:write")
    press(d, "Save changes")
    assert path_of(d).endswith(key_id)
    assert "saved" in flash(d)
    scopes = d.find_element(By.XPATH, "//dt[.='Scopes']/following-sibling::dd[1]").text.split()
    assert sorted(scopes) == ["orders:write", "reports:read", "reports:write"], scopes
    assert whoami(base_url, token) == 200

    # Rotate with a 1 h grace: old and new both work.
    check(d, "grace", "1h")
    press(d, "Rotate secret")
    new_token = reveal_token(d)
    assert new_token != token
    assert whoami(base_url, new_token) == 200
    assert whoami(base_url, token) == 200
    d.get(detail_url)
    assert "Old secret" in d.find_element(By.CSS_SELECTOR, "dl.details").text

    # Disable (after its confirmation page): both fail. Enable: works again.
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Disable…"))
    press(d, "Disable key")
    assert "disabled" in flash(d)
    assert "Disabled" in h1(d)
    assert whoami(base_url, new_token) == 401
    press(d, "Enable key")
    assert "active again" in flash(d)
    assert whoami(base_url, new_token) == 200

    # Delete with confirmation.
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Delete key…"))
    assert path_of(d).endswith("/delete") and h1(d).startswith("Delete")
    assert whoami(base_url, new_token) == 200, "opening the confirmation must not delete"
    press(d, "Delete this key")
    assert path_of(d) == "/keys"
    assert "deleted" in flash(d)
    assert whoami(base_url, new_token) == 401
    assert whoami(base_url, token) == 401
    d.get(detail_url)
    assert "404" in d.page_source or "not found" in d.page_source.lower()


def test_search_with_two_words(browser, base_url):
    d = browser
    sign_up(d, base_url)
    create_key(d, base_url, "Nightly billing", description="Charges customers every night")
    d.get(base_url + "/keys")
    fill(d, "q", "Charges customers")
    press(d, "Apply")
    assert d.find_element(By.ID, "q").get_attribute("value") == "Charges customers"
    assert "Nightly billing" in d.find_element(By.CSS_SELECTOR, ".table-wrap").text
