"""Form errors next to their fields, log-out/back-button/log-in, account isolation, and the no-JavaScript journey."""

from selenium.webdriver.common.by import By

from conftest import (check, click_and_wait, create_key, field_error, fill, flash, h1, key_id_from_url, log_in, log_out,
                      path_of, press, reveal_token, select, set_value, sign_up, whoami)


def error_summary(d):
    return d.find_element(By.CSS_SELECTOR, ".form-errors").text


def test_duplicate_name_is_shown_next_to_the_name(browser, base_url):
    d = browser
    sign_up(d, base_url)
    create_key(d, base_url, "Shared name", activate=False)
    assert key_id_from_url(d)
    create_key(d, base_url, "Shared name", description="second one")
    assert path_of(d) == "/keys", "a failed create re-renders the form"
    assert field_error(d, "name"), "no message next to the name field"
    assert d.find_element(By.ID, "name").get_attribute("aria-invalid") == "true"
    assert d.find_element(By.ID, "name").get_attribute("value") == "Shared name"
    assert d.find_element(By.ID, "description").get_attribute("value") == "second one"
    assert error_summary(d)


def test_bad_cidr_is_shown_next_to_the_allowlist(browser, base_url):
    d = browser
    sign_up(d, base_url)
    create_key(d, base_url, "Office only", ip_allowlist="10.0.0.0/99", rate_limit="50")
    assert path_of(d) == "/keys"
    message = field_error(d, "ip_allowlist")
    assert message, "no message next to the IP allowlist"
    assert d.find_element(By.ID, "ip_allowlist").get_attribute("value") == "10.0.0.0/99"
    assert d.find_element(By.ID, "name").get_attribute("value") == "Office only"
    assert d.find_element(By.ID, "rate_limit").get_attribute("value") == "50"
    assert not field_error(d, "name")


def test_past_expiry_date_is_shown_next_to_the_date(browser, base_url):
    d = browser
    sign_up(d, base_url)
    d.get(base_url + "/keys/new")
    fill(d, "name", "Already expired")
    check(d, "environment", "sandbox")
    select(d, "expiry", "date")
    set_value(d, "expires_on", "2020-01-01")
    check(d, "token_type", "custom")  # the secret field shows only for a custom secret
    fill(d, "secret", "this-must-never-come-back-0123456789")
    press(d, "Create key")
    assert path_of(d) == "/keys"
    assert field_error(d, "expires_on"), "no message next to the expiry date"
    assert d.find_element(By.ID, "expires_on").get_attribute("value") == "2020-01-01"
    assert d.find_element(By.CSS_SELECTOR, "#expiry option:checked").get_attribute("value") == "date"
    assert d.find_element(By.ID, "secret").get_attribute("value") == ""
    assert "this-must-never-come-back" not in d.page_source


def test_log_out_back_button_and_log_in_again(browser, base_url):
    d = browser
    email = sign_up(d, base_url)
    create_key(d, base_url, "Session key")
    reveal_token(d)
    click_and_wait(d, d.find_element(By.PARTIAL_LINK_TEXT, "go to the key"))
    key_url = d.current_url
    log_out(d)
    assert path_of(d) in ("/login", "/"), d.current_url
    d.back()
    assert "Session key" not in d.find_element(By.TAG_NAME, "main").text, "back button showed a key page after log-out"
    assert "/keys/" not in path_of(d) or "Log in" in d.page_source
    d.get(key_url)
    assert path_of(d) == "/login", "a key page must ask to log in"
    log_in(d, base_url, email)
    assert path_of(d) in (urllib_path(key_url), "/keys"), d.current_url
    d.get(key_url)
    assert "Session key" in h1(d)


def urllib_path(url):
    from urllib.parse import urlsplit
    return urlsplit(url).path


def test_wrong_password_keeps_the_email(browser, base_url):
    d = browser
    email = sign_up(d, base_url)
    log_out(d)
    log_in(d, base_url, email, password="not the password at all")
    assert path_of(d) == "/login"
    assert d.find_element(By.ID, "email").get_attribute("value") == email
    assert d.find_element(By.ID, "password").get_attribute("value") == ""


def test_one_account_cannot_open_anothers_key(browser_factory, base_url):
    alice, mallory = browser_factory(), browser_factory()
    sign_up(alice, base_url)
    create_key(alice, base_url, "Alice secret key", activate=False)
    key_url = alice.current_url
    sign_up(mallory, base_url)
    for suffix in ("", "/edit", "/delete"):
        mallory.get(key_url + suffix)
        assert "Alice secret key" not in mallory.page_source
        assert "404" in mallory.find_element(By.TAG_NAME, "main").text
    alice.get(key_url)
    assert "Alice secret key" in h1(alice), "the owner still sees it"


def test_without_javascript_create_activate_delete(browser_nojs, base_url):
    d = browser_nojs
    sign_up(d, base_url)
    create_key(d, base_url, "No-JS key", activate=False, scopes=["reports:read"])
    key_url = d.current_url
    assert "Pending" in h1(d) or "pending" in h1(d).lower()
    press(d, "Activate key")
    token = reveal_token(d)
    copy = d.find_element(By.CSS_SELECTOR, "button[data-copy='token']")
    assert not copy.is_displayed(), "a Copy button that would do nothing without JavaScript is hidden"
    assert whoami(base_url, token) == 200
    d.get(key_url)
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Disable…"))
    assert whoami(base_url, token) == 200, "opening the confirmation must not disable"
    press(d, "Disable key")
    assert whoami(base_url, token) == 401
    press(d, "Enable key")
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Delete key…"))
    press(d, "Delete this key")
    assert path_of(d) == "/keys" and "deleted" in flash(d)
    assert whoami(base_url, token) == 401
